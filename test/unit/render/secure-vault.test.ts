/** secure_vault: deployment.toml holds `$secret{alias}` and a [secrets] table Java opens; unchanged secrets keep their ciphertext. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Inventory } from '../../../src/model/inventory.js';
import { renderInventory } from '../../../src/render/render-inventory.js';
import { sealWithKey } from '../../../src/secrets/plan-key.js';
import { withInternalPki } from '../../../src/workflows/run/internal-pki.js';
import { inventoryVaultCipher, vaultCacheDir } from '../../../src/workflows/run/vault-cipher.js';
import { makeCa, makeJks, makeLeaf, makePkcs12 } from '../../fakes/make-certs.js';
import { ALL_IN_ONE_HEAD, writtenInventories } from '../inventory/written-inventory.js';

const JAVA_DECRYPT = join(import.meta.dirname, '../../fixtures/java/VaultDecrypt.java');
const dir = mkdtempSync(join(tmpdir(), 'render-vault-'));
const seal = sealWithKey(Buffer.alloc(32, 7));
const PLAIN = ['Adm1n-secret-pw', 'Ks-vault-pw-9', 'Ts-vault-pw-3'];

const { load: loadBody } = writtenInventories(dir, `${ALL_IN_ONE_HEAD}  truststore_password: \${TS}
  secure_vault: true
  keystores:
    primary: { file: aio.jks, alias: aio, password: "\${KS}" }
`);
async function load(env: string, extraVars = ''): Promise<Inventory> {
  writeFileSync(join(dir, 'x.env'), env);
  return withInternalPki(await loadBody(extraVars));
}
const ENV = `ADMIN_PASSWORD=${PLAIN[0]}\nKS=${PLAIN[1]}\nTS=${PLAIN[2]}\n`;
const tomlOf = (inv: Inventory) => renderInventory(inv, { vault: inventoryVaultCipher(inv, seal) })[0]!.files.find((f) => f.path.endsWith('repository/conf/deployment.toml'))!;

let inv: Inventory;
beforeAll(async () => {
  makeCa(dir, 'corp');
  makeLeaf(dir, 'aio', ['DNS:aio-1', 'IP:10.0.0.2'], 365, 'corp');
  makePkcs12(dir, 'aio', 'aio', PLAIN[1]!, 'corp');
  makeJks(dir, 'aio', 'aio', PLAIN[1]!);
  inv = await load(ENV);
}, 120_000);

describe('secure_vault in deployment.toml', () => {
  it('writes no password in clear: each is a $secret{alias} named after its key, [secrets] last', () => {
    const file = tomlOf(inv);
    for (const p of PLAIN) expect(file.content).not.toContain(p);
    expect(file.secret).toBe(false); // nothing revealed: plans may show and diff it
    const doc = parse(file.content) as Record<string, any>;
    expect(doc['super_admin'].password).toBe('$secret{super_admin_password}');
    expect(doc['keystore'].primary.password).toBe('$secret{keystore_primary_password}');
    expect(doc['keystore'].primary.key_password).toBe('$secret{keystore_primary_key_password}');
    expect(doc['truststore'].password).toBe('$secret{truststore_password}');
    const refs = [...file.content.matchAll(/\$secret\{([^}]+)\}/g)].map((m) => m[1]);
    expect(Object.keys(doc['secrets']).sort()).toEqual([...new Set(refs)].sort());
    expect(file.content.trimEnd().split('\n').filter((l) => l.startsWith('['))!.at(-1)).toBe('[secrets]');
  });

  it('encrypts each value so Java\'s Cipher("RSA") opens it with the keystore\'s private key, as Carbon does', () => {
    const secrets = (parse(tomlOf(inv).content) as Record<string, any>)['secrets'] as Record<string, string>;
    const open = (alias: string) => spawnSync('java', [JAVA_DECRYPT, join(dir, 'aio.jks'), PLAIN[1]!, 'aio', 'RSA', secrets[alias]!], { encoding: 'utf8' });
    const admin = open('super_admin_password');
    expect(admin.status, admin.stderr).toBe(0);
    expect(admin.stdout).toBe(PLAIN[0]);
    expect(open('truststore_password').stdout).toBe(PLAIN[2]);
  }, 120_000);

  it('renders the same ciphertext while nothing changes, a new one for a changed password only', async () => {
    const first = tomlOf(inv).content;
    expect(tomlOf(inv).content).toBe(first);
    // One cache file per secret, named by an HMAC under the plan key (nothing in the name is the password).
    const names = readdirSync(vaultCacheDir(inv));
    expect(names.length).toBeGreaterThanOrEqual(4);
    for (const n of names) expect(n).toMatch(/^[0-9a-f]{64}$/);
    const changed = await load(ENV.replace(PLAIN[0]!, 'Another-admin-pw'));
    const before = (parse(first) as Record<string, any>)['secrets'];
    const after = (parse(tomlOf(changed).content) as Record<string, any>)['secrets'];
    expect(after['super_admin_password']).not.toBe(before['super_admin_password']);
    expect(after['truststore_password']).toBe(before['truststore_password']);
    expect(after['keystore_primary_password']).toBe(before['keystore_primary_password']);
  });

  it('covers secrets in deployment_toml overrides too, and refuses an operator [secrets] table', async () => {
    const withOverride = await load(ENV, '  deployment_toml: { apim: { analytics: { auth_token: "${ADMIN_PASSWORD}" } } }\n');
    const file = tomlOf(withOverride);
    expect(file.content).not.toContain(PLAIN[0]);
    expect((parse(file.content) as Record<string, any>)['apim'].analytics.auth_token).toBe('$secret{apim_analytics_auth_token}');
    const own = await load(ENV, '  deployment_toml: { secrets: { mine: "x" } }\n');
    expect(() => tomlOf(own)).toThrow('deployment_toml writes a [secrets] table while secure_vault is on');
  });

  it('is a bug, not a silent plaintext file, when a workflow renders a vault node without a cipher', () => {
    expect(() => renderInventory(inv)).toThrow('secure_vault is on but nothing was given to encrypt its secrets');
  });
});
