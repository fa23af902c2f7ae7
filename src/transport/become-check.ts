/**
 * The become preflight, run once when a host's connection opens (so before any change on any host): proves that the
 * login user can make a private temp directory for uploads (made for real at the first upload, so a run that uploads
 * nothing leaves nothing to remove when it closes) and finds whether sudo works, and whether it wants the password.
 * One command, one line of reason per host when it does not work.
 */
import { TransportError } from '../errors.js';
import type { BecomeSpec } from '../model/inventory.js';
import { Secret } from '../model/secret.js';
import type { Transport } from './transport.js';

/** Makes the login user's private (0700) temp directory under ~/.apim-deploy and prints its path. */
export const PRIVATE_TMP_SCRIPT = 'umask 077; mkdir -p -- "$HOME/.apim-deploy" && mktemp -d -- "$HOME/.apim-deploy/tmp.XXXXXXXX"';

/**
 * $1 become user, $2 "yes" when a password is available (then it is the first line of stdin).
 * Prints `sudo nopasswd` or `sudo password`; sudo's complaint goes to stderr.
 */
export const CHECK_SCRIPT = [
  `d=$(${PRIVATE_TMP_SCRIPT}) && rmdir -- "$d" || exit 90`,
  'command -v sudo >/dev/null 2>&1 || { echo "sudo: command not found" >&2; exit 91; }',
  'if sudo -n -k -H -u "$1" -- sh -c "exit 0" 2>/dev/null; then echo "sudo nopasswd"; exit 0; fi',
  '[ "$2" = yes ] || { sudo -n -k -H -u "$1" -- sh -c "exit 0"; exit 92; }',
  'if sudo -S -k -p "" -H -u "$1" -- sh -c "exit 0"; then echo "sudo password"; exit 0; fi',
  'exit 93',
].join('\n');

export interface BecomeCheck {
  readonly needsPassword: boolean;
}

function reason(code: number | null, stderr: string, b: BecomeSpec, login: string): string {
  const said = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/^Sorry, try again\.?$/.test(l));
  const last = said[said.length - 1] ?? `exit ${code}`;
  if (code === 90) return `cannot create a private temp directory under the login user's home: ${last}`;
  if (code === 91) return 'become: sudo, but sudo is not installed on the host';
  if (/not in the sudoers file|may not run sudo|not allowed to (execute|run)/i.test(stderr)) return `${login} may not run commands as ${b.user} with sudo (${last})`;
  if (/must have a tty|requiretty/i.test(stderr)) return `sudo on the host requires a terminal (Defaults requiretty): allow ${login} without it`;
  if (code === 92) return `sudo asks ${login} for a password and no become_password is set (or ${login} may not use sudo at all)`;
  if (code === 93 && /incorrect password|no password was provided|Sorry, try again/i.test(stderr)) return `sudo refused the become_password for ${login} (wrong password)`;
  return `sudo as ${b.user} failed for ${login}: ${last}`;
}

export async function checkBecome(t: Transport, b: BecomeSpec, login = 'the login user'): Promise<BecomeCheck> {
  const withPassword = b.password !== undefined;
  const r = await t.exec({
    argv: ['sh', '-c', CHECK_SCRIPT, 'become-check', b.user, withPassword ? 'yes' : 'no'],
    ...(b.password ? { stdin: new Secret(`${b.password.reveal()}\n`, b.password.origin) } : {}),
    timeoutMs: 30_000,
  });
  const mode = /^sudo (nopasswd|password)$/m.exec(r.stdout)?.[1];
  if (r.exitCode === 0 && mode) return { needsPassword: mode === 'password' };
  throw new TransportError(t.host, 'become', reason(r.exitCode, r.stderr, b, login));
}

/** Makes the login user's private temp directory (PRIVATE_TMP_SCRIPT) and returns its path. */
export async function makePrivateTmp(t: Transport): Promise<string> {
  const r = await t.exec({ argv: ['sh', '-c', PRIVATE_TMP_SCRIPT, 'private-tmp'], timeoutMs: 30_000 });
  const dir = r.stdout.trim();
  if (r.exitCode === 0 && dir.startsWith('/') && !dir.includes('\n')) return dir;
  throw new TransportError(t.host, 'protocol', `cannot create a private temp directory under the login user's home: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
}
