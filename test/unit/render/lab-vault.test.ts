/**
 * The lab example (inventories/lab.yaml, what scripts/demo provisions) runs with secure_vault on: every WSO2 node's
 * deployment.toml holds no password in clear, and its [secrets] open with the simulated pack's wso2carbon.jks, the key
 * the lab nodes use (RSA 2048 like the real packs': sim/rules/sources.ts kernelKeystore).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { renderInventory } from '../../../src/render/render-inventory.js';
import { readJks } from '../../../src/secrets/jks.js';
import { sealWithKey } from '../../../src/secrets/plan-key.js';
import { cachedVaultCipher } from '../../../src/secrets/vault-cache.js';
import { loadExample, REPO } from './examples.js';

const PACK_JKS = join(REPO, 'sim/resources/security/wso2carbon.jks');
const JAVA_DECRYPT = join(REPO, 'test/fixtures/java/VaultDecrypt.java');
const secrets = readFileSync(join(REPO, 'inventories/lab.env.example'), 'utf8').match(/^\w+=(.*)$/gm)!.map((l) => l.split('=')[1]!);

describe('the lab example with secure_vault', () => {
  it('is on for every WSO2 node, with no validate warning (script hosts: every start is apim-deploy\'s)', async () => {
    const inv = await loadExample('lab', { vault: true });
    const wso2 = inv.nodes.filter((n) => !['load-balancer', 'database'].includes(n.role));
    expect(wso2.length).toBe(6);
    for (const n of wso2) expect(n.vars.secure_vault).toBe(true);
    expect(inv.warnings.map((w) => w.message)).toEqual([]);
  });

  it('renders no password in clear, and [secrets] the simulated pack key opens', async () => {
    const inv = await loadExample('lab', { vault: true });
    const cert = readJks(readFileSync(PACK_JKS), 'wso2carbon')[0]!.chain[0]!;
    const cipher = cachedVaultCipher(mkdtempSync(join(tmpdir(), 'lab-vault-')), sealWithKey(Buffer.alloc(32, 3)), cert, 'RSA');
    const tomls = renderInventory(inv, { vault: () => cipher }).flatMap((n) => n.files.filter((f) => f.path.endsWith('/repository/conf/deployment.toml')));
    expect(tomls.length).toBe(6);
    for (const f of tomls) {
      for (const s of secrets.filter((v) => v !== 'wso2carbon')) expect(f.content).not.toContain(s);
      expect(f.content).not.toMatch(/password = "wso2carbon"/);
    }
    const vault = (parse(tomls[0]!.content) as Record<string, Record<string, string>>)['secrets']!;
    const r = spawnSync('java', [JAVA_DECRYPT, PACK_JKS, 'wso2carbon', 'wso2carbon', 'RSA', vault['super_admin_password']!], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('lab-Admin-pw1');
  }, 120_000);
});
