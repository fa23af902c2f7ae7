/**
 * The become preflight, run once when a host's connection opens (so before any change on any host): proves that the
 * login user can make a private temp directory for uploads (made for real at the first upload, so a run that uploads
 * nothing leaves nothing to remove when it closes) and finds whether sudo works, and whether it wants the password.
 * One command, one line of reason per host when it does not work.
 */
import { TransportError } from '../errors.js';
import type { BecomeSpec } from '../model/inventory.js';
import { Secret } from '../model/secret.js';
import type { CommandAnswer, Transport } from './transport.js';

/** Makes the login user's private (0700) temp directory under ~/.apim-deploy and prints its path. */
export const PRIVATE_TMP_SCRIPT = 'umask 077; mkdir -p -- "$HOME/.apim-deploy" && mktemp -d -- "$HOME/.apim-deploy/tmp.XXXXXXXX"';

/** The line after the first command's output: its exit code. */
const FIRST_EXIT = 'apim-deploy-first-exit';

/**
 * $1 become user, $2 "yes" when a password is available (then it is the first line of stdin), then the argv of a
 * command to run as the become user in the same sudo that proves it works (none: nothing runs), a read the caller
 * needs from every host anyway. Prints that command's output and `apim-deploy-first-exit N`, then `sudo nopasswd` or
 * `sudo password`; sudo's complaint goes to stderr. The command runs under a shell that always exits 0, so its own
 * failure is never taken for sudo's.
 */
export const CHECK_SCRIPT = [
  // Two forks, not mktemp's four: the directory made and removed proves the same as the private temp directory would.
  'c=$HOME/.apim-deploy/check.$$',
  'mkdir -p -m 0700 -- "$HOME/.apim-deploy" "$c" && rmdir -- "$c" || exit 90',
  'command -v sudo >/dev/null 2>&1 || { echo "sudo: command not found" >&2; exit 91; }',
  'u=$1 pw=$2; shift 2',
  `first='"$@"; printf "\\n${FIRST_EXIT} %s\\n" "$?"; exit 0'`,
  'if sudo -n -k -H -u "$u" -- sh -c "$first" first "$@" 2>/dev/null; then echo "sudo nopasswd"; exit 0; fi',
  '[ "$pw" = yes ] || { sudo -n -k -H -u "$u" -- sh -c "exit 0"; exit 92; }',
  'if sudo -S -k -p "" -H -u "$u" -- sh -c "$first" first "$@"; then echo "sudo password"; exit 0; fi',
  'exit 93',
].join('\n');

/** What the first command (CHECK_SCRIPT) answered: its output and exit code. */
export type FirstAnswer = CommandAnswer;

export interface BecomeCheck {
  readonly needsPassword: boolean;
  /** Set when a first command was given. */
  readonly first?: FirstAnswer;
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

/** The first command's answer out of the check's output (the lines before its exit line), or undefined. */
function firstAnswer(stdout: string): FirstAnswer | undefined {
  // The exit line follows a newline of its own, so output without a final newline keeps its last line.
  const at = stdout.lastIndexOf(`\n${FIRST_EXIT} `);
  if (at < 0) return undefined;
  const code = Number(/^\d+/.exec(stdout.slice(at + FIRST_EXIT.length + 2))?.[0]);
  return { exitCode: Number.isInteger(code) ? code : null, stdout: stdout.slice(0, at) };
}

/** `firstTimeoutMs`: how long the first command may take, on top of the check's own 30 s. */
export async function checkBecome(t: Transport, b: BecomeSpec, login = 'the login user', first: readonly string[] = [], firstTimeoutMs = 0): Promise<BecomeCheck> {
  const withPassword = b.password !== undefined;
  const r = await t.exec({
    argv: ['sh', '-c', CHECK_SCRIPT, 'become-check', b.user, withPassword ? 'yes' : 'no', ...first],
    ...(b.password ? { stdin: new Secret(`${b.password.reveal()}\n`, b.password.origin) } : {}),
    timeoutMs: 30_000 + firstTimeoutMs,
  });
  const mode = /^sudo (nopasswd|password)$/m.exec(r.stdout)?.[1];
  if (r.exitCode === 0 && mode) {
    const answer = first.length > 0 ? firstAnswer(r.stdout) : undefined;
    if (first.length > 0 && !answer) throw new TransportError(t.host, 'protocol', `the become check ran without the first command's answer: ${r.stdout.trim().slice(-200)}`);
    return { needsPassword: mode === 'password', ...(answer ? { first: answer } : {}) };
  }
  throw new TransportError(t.host, 'become', reason(r.exitCode, r.stderr, b, login));
}

/** Makes the login user's private temp directory (PRIVATE_TMP_SCRIPT) and returns its path. */
export async function makePrivateTmp(t: Transport): Promise<string> {
  const r = await t.exec({ argv: ['sh', '-c', PRIVATE_TMP_SCRIPT, 'private-tmp'], timeoutMs: 30_000 });
  const dir = r.stdout.trim();
  if (r.exitCode === 0 && dir.startsWith('/') && !dir.includes('\n')) return dir;
  throw new TransportError(t.host, 'protocol', `cannot create a private temp directory under the login user's home: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
}
