/**
 * The simulator's secure vault (sim/component/secure-vault.ts): `[secrets]` decrypted by the lab JDK's own Cipher with
 * the keystore's private key, the password read from password-tmp (then deleted) or password-persist (kept), and a
 * node that refuses to start on a wrong password, a wrong key or no password at all.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJks } from '../../../src/secrets/jks.js';
import { encryptForVault } from '../../../src/secrets/secure-vault.js';
import { runConfigMapper } from '../../../sim/component/config-mapper.js';
import type { JavaRuntime } from '../../../sim/component/jsse.js';
import { openVault } from '../../../sim/component/secure-vault.js';
import { simJava } from './sim-java.js';

let dir: string;
let java: JavaRuntime;
let keytool: string;
const homes: string[] = [];

function keystore(name: string, password: string): string {
  const file = join(dir, `${name}.jks`);
  execFileSync(keytool, ['-genkeypair', '-keyalg', 'RSA', '-keysize', '2048', '-alias', 'vault', '-dname', `CN=${name}`, '-validity', '30',
    '-storetype', 'JKS', '-keystore', file, '-storepass', password, '-keypass', password], { stdio: 'pipe' });
  return file;
}
const certOf = (file: string, password: string) => readJks(readFileSync(file), password)[0]!.chain[0]!;

/** A carbon.home whose deployment.toml keys the vault to `ks` (as [keystore.primary]) and holds `secrets`. */
function home(ks: string, secrets: Record<string, string>, passwordFile?: [string, string]): string {
  const h = mkdtempSync(join(dir, 'home-'));
  homes.push(h);
  mkdirSync(join(h, 'repository', 'conf'), { recursive: true });
  mkdirSync(join(h, 'repository', 'resources', 'security'), { recursive: true });
  writeFileSync(join(h, 'repository', 'resources', 'security', 'own.jks'), readFileSync(ks));
  const lines = Object.entries(secrets).map(([a, v]) => `${a} = "${v}"`);
  writeFileSync(join(h, 'repository', 'conf', 'deployment.toml'), [
    '[super_admin]', 'username = "admin"', 'password = "$secret{super_admin_password}"', '',
    '[keystore.primary]', 'file_name = "own.jks"', 'type = "JKS"', 'alias = "vault"', 'password = "$secret{keystore_primary_password}"', '',
    '[secrets]', ...lines, ''].join('\n'));
  if (passwordFile) writeFileSync(join(h, passwordFile[0]), passwordFile[1], { mode: 0o600 });
  return h;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sim-vault-'));
  ({ java, keytool } = await simJava(dir));
}, 240_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('secure vault in the simulated node', () => {
  it('decrypts [secrets] with the keystore\'s private key, deletes password-tmp, and $secret{} resolves in the mapper', async () => {
    const ks = keystore('good', 'Ks-pw-1');
    const cert = certOf(ks, 'Ks-pw-1');
    const h = home(ks, { super_admin_password: encryptForVault(cert, 'Adm1n "pw"', 'RSA'), keystore_primary_password: encryptForVault(cert, 'Ks-pw-1', 'RSA') }, ['password-tmp', 'Ks-pw-1\n']);
    const vault = await openVault(java, h, {});
    expect(vault).toMatchObject({ ok: true });
    if (!vault.ok) return;
    expect(Object.fromEntries(vault.secrets)).toEqual({ super_admin_password: 'Adm1n "pw"', keystore_primary_password: 'Ks-pw-1' });
    expect(existsSync(join(h, 'password-tmp'))).toBe(false);
    const mapped = runConfigMapper({ doc: { super_admin: { password: '$secret{super_admin_password}' } }, version: undefined, component: 'all-in-one', env: {}, systemProperties: {}, secrets: vault.secrets });
    expect(mapped.ok && mapped.flat.get('super_admin.password')).toBe('Adm1n "pw"');
    const missing = runConfigMapper({ doc: { a: { b: '$secret{nope}' } }, version: undefined, component: 'all-in-one', env: {}, systemProperties: {}, secrets: vault.secrets });
    expect(missing.ok && missing.flat.get('a.b')).toBe('$secret{nope}'); // left for the runtime, as without a vault
  }, 120_000);

  it('keeps password-persist, and password-tmp under -Dpersist.password=true', async () => {
    const ks = keystore('persist', 'Ks-pw-2');
    const value = encryptForVault(certOf(ks, 'Ks-pw-2'), 'x', 'RSA');
    const kept = home(ks, { super_admin_password: value }, ['password-persist', 'Ks-pw-2\n']);
    expect((await openVault(java, kept, {})).ok).toBe(true);
    expect(existsSync(join(kept, 'password-persist'))).toBe(true);
    const tmp = home(ks, { super_admin_password: value }, ['password-tmp', 'Ks-pw-2\n']);
    expect((await openVault(java, tmp, { 'persist.password': 'true' })).ok).toBe(true);
    expect(existsSync(join(tmp, 'password-tmp'))).toBe(true);
  }, 120_000);

  it('refuses to start: a wrong keystore password, a value encrypted for another key, no password at all', async () => {
    const ks = keystore('mine', 'Ks-pw-3');
    const other = keystore('other', 'Ks-pw-3');
    const wrongPassword = await openVault(java, home(ks, { super_admin_password: encryptForVault(certOf(ks, 'Ks-pw-3'), 'x', 'RSA') }, ['password-tmp', 'not-it\n']), {});
    expect(wrongPassword).toEqual({ ok: false, errors: [expect.stringMatching(/^Error while loading the keystore of the secret repository \(.*own\.jks, password from password-tmp\): .*password was incorrect/)] });
    const wrongKey = await openVault(java, home(ks, { super_admin_password: encryptForVault(certOf(other, 'Ks-pw-3'), 'x', 'RSA') }, ['password-tmp', 'Ks-pw-3\n']), {});
    expect(wrongKey).toEqual({ ok: false, errors: [expect.stringMatching(/^Error decrypting the secret of alias super_admin_password with the key vault of .*own\.jks: javax\.crypto\.BadPaddingException/)] });
    const noPassword = await openVault(java, home(ks, { super_admin_password: 'AAAA' }), {});
    expect(noPassword).toEqual({ ok: false, errors: [expect.stringContaining('no password-tmp or password-persist in carbon.home')] });
  }, 120_000);

  it('does nothing without [secrets] (and leaves a password-tmp it does not need)', async () => {
    const h = mkdtempSync(join(dir, 'plain-'));
    mkdirSync(join(h, 'repository', 'conf'), { recursive: true });
    writeFileSync(join(h, 'repository', 'conf', 'deployment.toml'), '[server]\nhostname = "x"\n');
    writeFileSync(join(h, 'password-tmp'), 'x\n');
    expect(await openVault(java, h, {})).toEqual({ ok: true, secrets: new Map(), notes: [] });
  });
});
