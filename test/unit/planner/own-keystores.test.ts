/**
 * A rotated keystore restarts its node: Carbon reads its keystores at start-up only, so new bytes alone change nothing.
 * The primary keystore is the case to watch: with a TLS keystore beside it, its certificate is in no trust bundle, so
 * the keystore bundle is the only file that changes.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../../src/inventory/load.js';
import { buildPlan } from '../../../src/planner/build-plan.js';
import { withInternalPki } from '../../../src/workflows/run/internal-pki.js';
import { makeCa, makeLeaf, makePkcs12 } from '../../fakes/make-certs.js';
import { allSteps, converged, inventoryInputs, stepsOf } from './fixtures.js';

describe('own keystores in the plan', () => {
  it('a renewed primary keystore is installed again and restarts its node', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plan-ks-'));
    makeCa(dir, 'corp');
    makeLeaf(dir, 'aio', ['DNS:aio-1'], 365, 'corp');
    makePkcs12(dir, 'aio', 'aio', 'Ks-pw-1', 'corp');
    makeLeaf(dir, 'signing', ['DNS:aio-1'], 365, 'corp');
    makePkcs12(dir, 'signing', 'signing', 'Ks-pw-1', 'corp');
    writeFileSync(join(dir, 'inv.env'), 'ADMIN_PASSWORD=pw-admin\nKS=Ks-pw-1\n');
    writeFileSync(join(dir, 'inv.yaml'), `name: t
apim: { version: 4.6.0, distributions: { all-in-one: { path: a.zip } }, jdk: { path: j.tar.gz } }
pattern: 0
vars:
  admin_password: \${ADMIN_PASSWORD}
  keystores:
    tls: { file: aio.p12, alias: aio, password: "\${KS}" }
    primary: { file: signing.p12, alias: signing, password: "\${KS}" }
hosts:
  aio-1: { address: 10.0.0.2 }
roles: { all-in-one: [aio-1] }
`);
    const load = async () => inventoryInputs(await withInternalPki(await loadInventory(join(dir, 'inv.yaml'), { envFile: join(dir, 'inv.env'), requireArtifacts: false })));
    const stops = (plan: ReturnType<typeof buildPlan>) => allSteps(plan).filter((s) => s.kind === 'stop-component').map((s) => `${s.host}: ${s.reason}`);
    const before = converged(await load());
    expect(stops(buildPlan(before))).toEqual([]);

    // The operator renews the primary (signing) certificate: same file name, alias and password, new bytes.
    makeLeaf(dir, 'signing', ['DNS:aio-1'], 365, 'corp');
    makePkcs12(dir, 'signing', 'signing', 'Ks-pw-1', 'corp');
    const rotated = buildPlan({ ...(await load()), state: before.state });
    const bundle = stepsOf(rotated, 'aio-1').find((s) => s.kind === 'upload-file' && s.id.endsWith('/keystores.b64'));
    expect(bundle, 'the new bundle goes up').toBeDefined();
    expect(stepsOf(rotated, 'aio-1').some((s) => s.kind === 'run-once' && s.id.includes('installs-keystores'))).toBe(true);
    expect(stops(rotated)).toEqual([`aio-1: restart: ${bundle!.id.slice('aio-1/upload-file/'.length)} changed`]);
  }, 120_000);
});
