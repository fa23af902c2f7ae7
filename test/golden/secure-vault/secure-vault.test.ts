import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Inventory } from '../../../src/model/inventory.js';
import { renderInventory } from '../../../src/render/render-inventory.js';
import { readJks } from '../../../src/secrets/jks.js';
import { sealWithKey } from '../../../src/secrets/plan-key.js';
import { cachedVaultCipher } from '../../../src/secrets/vault-cache.js';
import { loadExample } from '../../unit/render/examples.js';

/**
 * Golden render of the pattern-0 example with `secure_vault: true`: every password in deployment.toml is a
 * `$secret{alias}` and `[secrets]` closes the file. Ciphertexts are random (RSA padding), so they are masked to their
 * length (344 base64 characters: one RSA-2048 block). `UPDATE_GOLDEN=1` rewrites it (review `git diff`).
 */
const ROOT = import.meta.dirname;
const MASK = /^([A-Za-z0-9_]+) = "([A-Za-z0-9+/]+=*)"$/gm;

function rsaCipher() {
  const dir = mkdtempSync(join(tmpdir(), 'golden-vault-'));
  const jks = join(dir, 'vault.jks');
  const r = spawnSync('keytool', ['-genkeypair', '-keyalg', 'RSA', '-keysize', '2048', '-alias', 'vault', '-dname', 'CN=golden', '-validity', '30',
    '-storetype', 'JKS', '-keystore', jks, '-storepass', 'golden-pw', '-keypass', 'golden-pw'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`keytool: ${r.stderr}`);
  return cachedVaultCipher(join(dir, 'cache'), sealWithKey(Buffer.alloc(32, 1)), readJks(readFileSync(jks), 'golden-pw')[0]!.chain[0]!, 'RSA');
}

describe('golden render of secure_vault (pattern 0)', () => {
  it('matches the reviewed deployment.toml, ciphertexts masked', async () => {
    const example = await loadExample('pattern-0');
    const inv: Inventory = { ...example, nodes: example.nodes.map((n) => ({ ...n, vars: { ...n.vars, secure_vault: true } })) };
    const cipher = rsaCipher();
    const [node] = renderInventory(inv, { vault: () => cipher });
    const f = node!.files.find((x) => x.path.endsWith('/repository/conf/deployment.toml'))!;
    const secrets = f.content.slice(f.content.indexOf('\n[secrets]\n'));
    const masked = f.content.slice(0, f.content.length - secrets.length) + secrets.replace(MASK, (_m, alias: string, c: string) => `${alias} = "<ciphertext, ${c.length} base64 characters>"`);
    const text = `# mode ${f.mode} owner ${f.owner}:${f.group} secret=${f.secret}\n${masked}`;
    const golden = join(ROOT, node!.host, 'repository/conf/deployment.toml');
    if (process.env.UPDATE_GOLDEN === '1') {
      rmSync(golden, { force: true });
      mkdirSync(dirname(golden), { recursive: true });
      writeFileSync(golden, text);
    }
    expect(existsSync(golden), `${golden} (UPDATE_GOLDEN=1 to write)`).toBe(true);
    expect(text, 'deployment.toml (UPDATE_GOLDEN=1 to accept)').toBe(readFileSync(golden, 'utf8'));
  }, 60_000);
});
