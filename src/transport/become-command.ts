/**
 * Privilege escalation as a separate concern from the transport (Ansible's become plugin): pure functions that turn
 * a RemoteCommand into the same command run through sudo. cwd and env do not survive sudo (env_reset, no -D), so a
 * small shell on the far side applies them. The become password travels on stdin, in front of the command's own
 * input, and only when the host's sudo asks for one (found when the connection opened): sudo reads its password
 * line and leaves the rest to the command. `-k` makes sudo ask every time, so the line is always consumed.
 */
import type { BecomeSpec } from '../model/inventory.js';
import { isSecret, Secret } from '../model/secret.js';
import { envArgv } from './quote.js';
import type { Arg, RemoteCommand } from './transport.js';

const IN_DIR = 'cd -- "$1" || exit; shift; exec "$@"';

/** The sudo in front of every command: `-n` when no password is needed, so sudo never waits on a prompt. */
export function sudoPrefix(b: BecomeSpec, withPassword: boolean): string[] {
  return ['sudo', ...(withPassword ? ['-S', '-k', '-p', ''] : ['-n']), '-H', '-u', b.user, '--'];
}

/**
 * The command as the become user. With a timeout, `timeout -s KILL` runs inside sudo too: the transport can kill the
 * login user's shell but not root's processes.
 */
export function becomeCommand(cmd: RemoteCommand, b: BecomeSpec, password: Secret | undefined): RemoteCommand {
  let core: Arg[] = [...envArgv(cmd)];
  if (cmd.timeoutMs !== undefined) core = ['timeout', '-s', 'KILL', String(Math.ceil(cmd.timeoutMs / 1000) + 1), ...core];
  if (cmd.cwd !== undefined) core = ['sh', '-c', IN_DIR, 'sh', cmd.cwd, ...core];
  const out: RemoteCommand = { argv: [...sudoPrefix(b, password !== undefined), ...core], ...(cmd.timeoutMs !== undefined ? { timeoutMs: cmd.timeoutMs } : {}) };
  if (password === undefined) return cmd.stdin === undefined ? out : { ...out, stdin: cmd.stdin };
  const rest = cmd.stdin === undefined ? '' : isSecret(cmd.stdin) ? cmd.stdin.reveal() : cmd.stdin;
  return { ...out, stdin: new Secret(`${password.reveal()}\n${rest}`, password.origin) };
}

/** Prints the file base64-encoded (exact bytes through a text channel); exit 3 when absent. */
export const READ_SCRIPT = 'if [ -e "$1" ] || [ -L "$1" ]; then exec base64 -w 0 -- "$1"; else exit 3; fi';
export const READ_ABSENT = 3;
export const readArgv = (path: string): string[] => ['sh', '-c', READ_SCRIPT, 'read-file', path];
