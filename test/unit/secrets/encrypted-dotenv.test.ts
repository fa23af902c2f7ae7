import { encrypt, keypair } from '@dotenvx/primitives';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../../../src/errors.js';
import { decryptDotenv } from '../../../src/secrets/encrypted-dotenv.js';
import { readSecrets } from '../../../src/secrets/sources.js';

const ours = keypair();
const theirs = keypair();
const dir = mkdtempSync(join(tmpdir(), 'enc-env-'));
const keysFile = join(dir, '.env.keys');
writeFileSync(keysFile, `#/ private decryption keys /\n# .env.production\nDOTENV_PRIVATE_KEY_PRODUCTION=${theirs.privateKey}\n# lab.env\nDOTENV_PRIVATE_KEY=${ours.privateKey}\n`);
const hexFile = join(dir, 'hex.key');
writeFileSync(hexFile, `${ours.privateKey}\n`);
const wrongFile = join(dir, 'wrong.key');
writeFileSync(wrongFile, `${theirs.privateKey}\n`);

function encryptedFile(values: Record<string, string>, publicKey = ours.publicKey): Map<string, string> {
  return new Map([['DOTENV_PUBLIC_KEY', publicKey], ...Object.entries(values).map(([k, v]) => [k, encrypt(ours.publicKey, v)] as [string, string])]);
}

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

describe('decryptDotenv (dotenvx format)', () => {
  const values = encryptedFile({ DB_PASSWORD: 'p#ss "x"', ADMIN_PASSWORD: 'adm' });

  it('decrypts every encrypted value with the key from a dotenvx .env.keys file, picking the key of the file', () => {
    const out = decryptDotenv(new Map([...values, ['PLAIN', 'plain']]), 'lab.env', { file: keysFile });
    expect(out.get('DB_PASSWORD')).toBe('p#ss "x"');
    expect(out.get('ADMIN_PASSWORD')).toBe('adm');
    expect(out.get('PLAIN')).toBe('plain');
  });

  it('takes the key from a file holding only the hex key, or from a process variable named explicitly', () => {
    expect(decryptDotenv(values, 'lab.env', { file: hexFile }).get('ADMIN_PASSWORD')).toBe('adm');
    expect(decryptDotenv(values, 'lab.env', { processVariable: 'MY_KEY' }, { MY_KEY: ours.privateKey }).get('ADMIN_PASSWORD')).toBe('adm');
  });

  it('leaves a file without encrypted values alone and needs no key for it', () => {
    const plain = new Map([['A', 'a']]);
    expect(decryptDotenv(plain, 'lab.env', undefined)).toBe(plain);
  });

  it('refuses encrypted values without a key, naming them', () => {
    const err = thrown(() => decryptDotenv(values, 'lab.env', undefined));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe('lab.env holds encrypted values (DB_PASSWORD, ADMIN_PASSWORD) and no private key was given');
  });

  it('refuses a key that does not belong to the file before decrypting anything', () => {
    const err = thrown(() => decryptDotenv(values, 'lab.env', { file: wrongFile }));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain(`the private key in ${wrongFile} does not belong to lab.env`);
  });

  it('refuses, all or nothing, when a value does not decrypt (no public key line to check the key against)', () => {
    const noPublic = new Map([...values].filter(([k]) => k !== 'DOTENV_PUBLIC_KEY'));
    const err = thrown(() => decryptDotenv(noPublic, 'lab.env', { file: wrongFile }));
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toBe(`DB_PASSWORD, ADMIN_PASSWORD in lab.env could not be decrypted with the private key in ${wrongFile} (wrong key, or a damaged value)`);
  });

  it('names a key variable that is not set, and a missing key file', () => {
    expect(thrown(() => decryptDotenv(values, 'lab.env', { processVariable: 'NOPE' }, {}))).toBeInstanceOf(UsageError);
    expect(thrown(() => decryptDotenv(values, 'lab.env', { file: join(dir, 'absent') })).message).toContain('does not exist');
  });

  it('never puts a secret or the key in a message', () => {
    for (const f of [() => decryptDotenv(values, 'lab.env', { file: wrongFile }), () => decryptDotenv(values, 'lab.env', undefined)]) {
      const text = thrown(f).message;
      for (const s of ['p#ss', 'adm"', ours.privateKey, theirs.privateKey]) expect(text).not.toContain(s);
    }
  });
});

describe('readSecrets (dotenv file + decryption + --env-from-process)', () => {
  const file = join(dir, 'lab.env');
  writeFileSync(file, `DOTENV_PUBLIC_KEY="${ours.publicKey}"\nDB_PASSWORD="${encrypt(ours.publicKey, 'from-file')}"\nADMIN_PASSWORD=plain-admin\n`);

  it('decrypts the file and lets a named process variable win, with a warning naming it', () => {
    const env = { DB_PASSWORD: 'from-ci', UNNAMED: 'never-read' };
    const out = readSecrets(file, 'lab.env', { envKey: { file: hexFile }, envFromProcess: ['DB_PASSWORD'] }, env);
    expect(out.values?.get('DB_PASSWORD')).toBe('from-ci');
    expect(out.values?.get('ADMIN_PASSWORD')).toBe('plain-admin');
    expect(out.values?.has('UNNAMED')).toBe(false);
    expect(out.warnings.map((w) => w.message)).toEqual(['DB_PASSWORD is also set by --env-from-process: the process value is used']);
    expect(out.display).toBe('lab.env and --env-from-process DB_PASSWORD');
  });

  it('reads the named variables alone when the dotenv file does not exist', () => {
    const out = readSecrets(join(dir, 'absent.env'), 'absent.env', { envFromProcess: ['ADMIN_PASSWORD'] }, { ADMIN_PASSWORD: 'ci' });
    expect([...(out.values ?? [])]).toEqual([['ADMIN_PASSWORD', 'ci']]);
    expect(out.display).toBe('absent.env (absent) and --env-from-process ADMIN_PASSWORD');
  });

  it('without opt-ins reads the file only, even when the environment holds the same names', () => {
    const out = readSecrets(file, 'lab.env', { envKey: { file: hexFile } }, { ADMIN_PASSWORD: 'from-env' });
    expect(out.values?.get('ADMIN_PASSWORD')).toBe('plain-admin');
    expect(out.values?.get('DB_PASSWORD')).toBe('from-file');
  });
});
