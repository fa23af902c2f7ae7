import { X509Certificate } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.js';
import { writeZip } from '../../../src/lab/dist/zip-writer.js';
import { JksError, readJks } from '../../../src/secrets/jks.js';
import { encryptForVault, VAULT_TRANSFORMATIONS } from '../../../src/secrets/secure-vault.js';
import { PACK_PRIMARY_KEYSTORE, vaultCertificate, vaultPasswordFile } from '../../../src/secrets/vault-keystore.js';
import { Secret } from '../../../src/model/secret.js';
import type { NodeVars } from '../../../src/model/vars.js';

const SECURITY = join(import.meta.dirname, '../../../sim/resources/security');
const JKS = join(SECURITY, 'wso2carbon.jks');
const PEM = readFileSync(join(SECURITY, 'wso2carbon.pem'));
const JAVA_DECRYPT = join(import.meta.dirname, '../../fixtures/java/VaultDecrypt.java');

describe('readJks', () => {
  it('reads the pack keystore\'s key entry certificate, checking the store password', () => {
    const entries = readJks(readFileSync(JKS), 'wso2carbon');
    expect(entries.map((e) => [e.alias, e.kind])).toEqual([['wso2carbon', 'private-key']]);
    expect(entries[0]!.chain[0]!.fingerprint256).toBe(new X509Certificate(PEM).fingerprint256);
  });

  it('reads trusted certificate entries', () => {
    const entries = readJks(readFileSync(join(SECURITY, 'client-truststore.jks')), 'wso2carbon');
    expect(entries.map((e) => [e.alias, e.kind])).toEqual([['wso2carbon', 'trusted-cert']]);
  });

  it('refuses a wrong store password, a truncated file and a file that is not JKS', () => {
    const bytes = readFileSync(JKS);
    expect(() => readJks(bytes, 'not-it')).toThrow(new JksError('keystore password is incorrect (or the keystore was altered)'));
    expect(() => readJks(bytes.subarray(0, 200), 'wso2carbon')).toThrow('keystore is truncated');
    expect(() => readJks(Buffer.from('0123456789abcdef'), 'wso2carbon')).toThrow('not a JKS keystore');
  });
});

/** An RSA 2048 key pair in a JKS of the test's own, as the real packs ship (sim/rules/sources.ts kernelKeystore). */
function rsaKeystore(): { jks: string; cert: X509Certificate } {
  const dir = mkdtempSync(join(tmpdir(), 'vault-rsa-'));
  const jks = join(dir, 'rsa.jks');
  const r = spawnSync('keytool', ['-genkeypair', '-keyalg', 'RSA', '-keysize', '2048', '-alias', 'wso2carbon', '-dname', 'CN=vault-test',
    '-validity', '30', '-storetype', 'JKS', '-keystore', jks, '-storepass', 'wso2carbon', '-keypass', 'wso2carbon'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`keytool: ${r.stderr}`);
  return { jks, cert: readJks(readFileSync(jks), 'wso2carbon')[0]!.chain[0]! };
}

describe('encryptForVault', () => {
  it('gives base64 that Java\'s own Cipher opens with the JKS private key, for each transformation Carbon may run', () => {
    const { jks, cert } = rsaKeystore();
    for (const transformation of VAULT_TRANSFORMATIONS) {
      const a = encryptForVault(cert, 'pässword "ünicode"', transformation);
      expect(a).toMatch(/^[A-Za-z0-9+/]+=*$/);
      expect(encryptForVault(cert, 'pässword "ünicode"', transformation)).not.toBe(a); // randomized padding: goldens must mask it
      const r = spawnSync('java', [JAVA_DECRYPT, jks, 'wso2carbon', 'wso2carbon', transformation, a], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe('pässword "ünicode"');
      // ... and not with the other transformation: the choice matters, it is not a detail.
      const other = VAULT_TRANSFORMATIONS.find((t) => t !== transformation)!;
      expect(spawnSync('java', [JAVA_DECRYPT, jks, 'wso2carbon', 'wso2carbon', other, a], { encoding: 'utf8' }).status).not.toBe(0);
    }
  }, 240_000);

  it('refuses a non-RSA key, as Carbon\'s RSA cipher would', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vault-ec-'));
    const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'ec.key'),
      '-subj', '/CN=ec', '-days', '1', '-out', join(dir, 'ec.pem')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(() => encryptForVault(new X509Certificate(readFileSync(join(dir, 'ec.pem'))), 'x', 'RSA')).toThrow('secure vault needs an RSA key');
  });

  it('works with the simulated pack\'s own wso2carbon.jks: RSA 2048, as carbon-kernel 4.9.28/4.9.33 ship it', () => {
    const cert = new X509Certificate(PEM);
    expect(cert.publicKey.asymmetricKeyType).toBe('rsa');
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    const r = spawnSync('java', [JAVA_DECRYPT, JKS, 'wso2carbon', 'wso2carbon', 'RSA', encryptForVault(cert, 'pack-secret', 'RSA')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('pack-secret');
  }, 120_000);
});

describe('vaultCertificate (the one lookup of the node\'s vault keystore)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vault-ks-'));
  const zip = join(dir, 'wso2am-4.6.0.zip');
  writeFileSync(zip, writeZip([{ path: `wso2am-4.6.0/${PACK_PRIMARY_KEYSTORE.file}`, mode: 0o644, data: readFileSync(JKS) }]));

  it('reads the pack keystore\'s certificate from the distribution zip on the controller', () => {
    const cert = vaultCertificate(zip, { ...PACK_PRIMARY_KEYSTORE, password: 'wso2carbon' });
    expect(cert.fingerprint256).toBe(new X509Certificate(PEM).fingerprint256);
  });

  it('names the zip and the keystore when the password, alias or file is wrong', () => {
    expect(() => vaultCertificate(zip, { ...PACK_PRIMARY_KEYSTORE, password: 'nope' })).toThrow(ConfigError);
    expect(() => vaultCertificate(zip, { ...PACK_PRIMARY_KEYSTORE, password: 'nope' })).toThrow(`${PACK_PRIMARY_KEYSTORE.file} in ${zip}: keystore password is incorrect`);
    expect(() => vaultCertificate(zip, { ...PACK_PRIMARY_KEYSTORE, alias: 'other', password: 'wso2carbon' })).toThrow("has no key entry 'other'");
    expect(() => vaultCertificate(zip, { file: 'repository/resources/security/absent.jks', alias: 'x', password: 'y' })).toThrow('has no repository/resources/security/absent.jks');
  });
});

describe('vaultPasswordFile (what password-tmp / password-persist holds)', () => {
  const own = (password: string, key: string) => ({ file: 'ks.jks', type: 'JKS' as const, alias: 'a', password: new Secret(password, 't'), key_password: new Secret(key, 't') });
  const vars = (keystores: Partial<NodeVars['keystores']>) => ({ keystore_password: new Secret('pack-pw', 't'), keystores: { primary: null, tls: null, internal: null, ...keystores } }) as unknown as NodeVars;
  it('the pack keystore\'s password without own keystores; the internal keystore\'s before the primary one\'s', () => {
    expect(vaultPasswordFile(vars({}))).toBe('pack-pw\n');
    expect(vaultPasswordFile(vars({ primary: own('p-pw', 'p-pw') }))).toBe('p-pw\n');
    expect(vaultPasswordFile(vars({ primary: own('p-pw', 'p-pw'), internal: own('i-pw', 'i-pw') }))).toBe('i-pw\n');
  });
  it('the key password on a second line when it differs, as the docs describe', () => {
    expect(vaultPasswordFile(vars({ internal: own('store-pw', 'key-pw') }))).toBe('store-pw\nkey-pw\n');
  });
});
