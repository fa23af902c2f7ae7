import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { redact } from '../../../src/model/secret.js';
import { buildPlan } from '../../../src/planner/build-plan.js';
import { desiredState } from '../../../src/planner/desired-state.js';
import { sealPlan, secretFiles } from '../../../src/planner/seal-plan.js';
import { dropInsInputs } from '../../unit/planner/drop-ins-fixture.js';
import { REPO } from '../../unit/render/examples.js';
import { canonicalJson } from './canonical.js';

/**
 * Golden plan of the drop-ins fixture (test/fixtures/inventories/drop-ins) on fresh hosts, sealed as a printed plan
 * is: the JAR and the verbatim log4j2.properties as upload-artifact steps, the templated files as upload-file steps,
 * the userstore that holds the admin password with its digests sealed (HMACs, never a sha256 one could test guesses
 * against). `UPDATE_GOLDEN=1 npx vitest run test/golden/plan/drop-ins.test.ts` rewrites it (then review `git diff`).
 */
describe('golden plan of drop-in files', () => {
  it('matches the reviewed plan, with no secret in clear and the secret file sealed', async () => {
    const inputs = await dropInsInputs();
    const raw = buildPlan(inputs);
    const { plan } = sealPlan(raw, new Map(), secretFiles(desiredState(inputs)), inputs.seal);
    const text = canonicalJson({ ...plan, inventory: relative(REPO, inputs.inventory.file) });
    expect(inputs.inventory.secrets.filter((s) => redact(text, [s]) !== text).map((s) => s.origin)).toEqual([]);
    const userstore = inputs.rendered.find((r) => r.host === 'apim-1')!.files.find((f) => f.path.endsWith('ldap.xml'))!;
    expect(userstore.secret).toBe(true);
    expect(text).not.toContain(userstore.sha256);
    expect(text).not.toContain(REPO);
    const file = join(import.meta.dirname, 'drop-ins', 'expected-plan.json');
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(join(import.meta.dirname, 'drop-ins'), { recursive: true });
      writeFileSync(file, text);
    }
    expect(existsSync(file), `${relative(REPO, file)} is missing (UPDATE_GOLDEN=1 to write it)`).toBe(true);
    expect(text).toBe(readFileSync(file, 'utf8'));
  });
});
