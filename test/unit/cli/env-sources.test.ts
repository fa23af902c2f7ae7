import { encrypt, keypair } from '@dotenvx/primitives';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, REPO, cliTimeout } from './run-cli.js';

/** The secret options as an operator passes them: an encrypted dotenv file with its key, and --env-from-process. */
const INVENTORY = 'test/fixtures/inventories/good/pattern-0.yaml';
const dir = mkdtempSync(join(tmpdir(), 'env-sources-'));
const key = keypair();
const envFile = join(dir, 'committed.env');
writeFileSync(envFile, `DOTENV_PUBLIC_KEY="${key.publicKey}"\nADMIN_PASSWORD="${encrypt(key.publicKey, 'sealed-admin-pw')}"\n`);
const keyFile = join(dir, '.env.keys');
writeFileSync(keyFile, `DOTENV_PRIVATE_KEY=${key.privateKey}\n`, { mode: 0o600 });
const wrongKey = join(dir, 'wrong.keys');
writeFileSync(wrongKey, `DOTENV_PRIVATE_KEY=${keypair().privateKey}\n`, { mode: 0o600 });

function run(args: string[], env: Record<string, string> = {}) {
  const base = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/root' };
  return spawnSync(BIN, ['validate', '-i', INVENTORY, ...args], { cwd: REPO, encoding: 'utf8', env: { ...base, ...env } });
}

describe('secret sources on the command line', () => {
  it('validates with an encrypted dotenv file and its key; refuses a wrong key and a named variable that is not set', () => {
    const ok = run(['--env-file', envFile, '--env-key-file', keyFile]);
    expect(ok.status, ok.stderr).toBe(0);

    const wrong = run(['--env-file', envFile, '--env-key-file', wrongKey]);
    expect(wrong.status).toBe(3);
    expect(wrong.stderr).toContain(`the private key in ${wrongKey} does not belong to ${envFile.replace(`${REPO}/`, '')}`);

    const fromKeyVar = run(['--env-file', envFile, '--env-key-from-process', 'CI_DOTENV_KEY'], { CI_DOTENV_KEY: key.privateKey });
    expect(fromKeyVar.status, fromKeyVar.stderr).toBe(0);

    const unset = run(['--env-file', join(dir, 'absent.env'), '--env-from-process', 'ADMIN_PASSWORD'], { OTHER: 'x' });
    expect(unset.status).toBe(2);
    expect(unset.stderr).toContain('--env-from-process: ADMIN_PASSWORD is not set in the environment');

    const fromProcess = run(['--env-file', join(dir, 'absent.env'), '--env-from-process', 'ADMIN_PASSWORD'], { ADMIN_PASSWORD: 'ci-admin-pw' });
    expect(fromProcess.status, fromProcess.stderr).toBe(0);
    for (const r of [ok, wrong, fromKeyVar, unset, fromProcess]) {
      for (const s of ['sealed-admin-pw', 'ci-admin-pw', key.privateKey]) expect(r.stdout + r.stderr).not.toContain(s);
    }
  }, cliTimeout(5));

  it('without --env-from-process a variable of the environment is never read', () => {
    const r = run(['--env-file', join(dir, 'absent.env')], { ADMIN_PASSWORD: 'ci-admin-pw' });
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('ADMIN_PASSWORD');
    expect(r.stderr).toContain('does not exist');
  }, cliTimeout(1));
});
