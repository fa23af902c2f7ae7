import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { writeSecretsFragment } from './outputs.js';
import { runOk } from './run.js';

function recorded(file: string): string | undefined {
  try {
    return /^SUDO_PASSWORD=(.+)$/m.exec(readFileSync(file, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/**
 * `lab up --sudo-password`: the login user's sudo password, kept in the lab's secrets fragment across runs (made
 * once, at random), and its sha512-crypt hash for /etc/shadow (openssl reads the password on stdin, never argv).
 * Without the option the fragment is removed and sudo asks for nothing.
 */
export async function labSudoPassword(file: string, wanted: boolean): Promise<{ password: string; hash: string } | undefined> {
  if (!wanted) {
    rmSync(file, { force: true });
    return undefined;
  }
  const password = recorded(file) ?? randomBytes(12).toString('base64url');
  writeSecretsFragment(file, password);
  const hash = (await runOk('openssl', ['passwd', '-6', '-stdin'], { input: `${password}\n` })).trim();
  return { password, hash };
}
