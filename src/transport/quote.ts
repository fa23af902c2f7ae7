/**
 * The only place shell quoting happens: an argv (with optional cwd and env) becomes one POSIX sh command line.
 * Secrets are revealed only in `wire` (what goes to the host); `display` prints them as ***.
 */
import { isSecret, REDACTED, Secret } from '../model/secret.js';
import type { Arg, RemoteCommand } from './transport.js';

/** Characters that never need quoting in sh. Anything else gets single quotes. */
const SAFE_WORD = /^[A-Za-z0-9_@%+:,./-]+$/;
/** Reserved words are only special unquoted in command position; quoting them always is simpler and safe. */
const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'case', 'esac', 'while', 'until', 'for', 'in']);
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** One argument as a sh word: 'it'\''s' style; the empty string becomes ''. */
export function quoteArg(s: string): string {
  if (SAFE_WORD.test(s) && !RESERVED.has(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function wireArg(a: Arg): string {
  return quoteArg(isSecret(a) ? a.reveal() : a);
}

function displayArg(a: Arg): string {
  return isSecret(a) ? REDACTED : quoteArg(a);
}

function build(cmd: Pick<RemoteCommand, 'argv' | 'cwd' | 'env'>, arg: (a: Arg) => string): string {
  if (cmd.argv.length === 0) throw new Error('commandLine: empty argv');
  const parts: string[] = [];
  for (const [name, value] of Object.entries(cmd.env ?? {})) {
    // A bad name would turn the assignment into a command word: a bug in the caller, never user data.
    if (!ENV_NAME.test(name)) throw new Error(`commandLine: invalid environment variable name ${JSON.stringify(name)}`);
    parts.push(`${name}=${arg(value)}`);
  }
  parts.push(...cmd.argv.map(arg));
  const line = parts.join(' ');
  return cmd.cwd === undefined ? line : `cd ${quoteArg(cmd.cwd)} && ${line}`;
}

/**
 * The command line for a RemoteCommand. `cwd` becomes `cd 'dir' && …`, `env` becomes `K='v' cmd …`
 * (assignments on the command itself: sshd refuses most env requests). stdin is not part of the line.
 */
export function commandLine(cmd: Pick<RemoteCommand, 'argv' | 'cwd' | 'env'>): { wire: string; display: string } {
  return { wire: build(cmd, wireArg), display: build(cmd, displayArg) };
}

/** For logs, previews and error messages: secrets print as ***. */
export function describeCommand(argv: readonly Arg[] | RemoteCommand): string {
  const cmd = Array.isArray(argv) ? { argv: argv as readonly Arg[] } : (argv as RemoteCommand);
  return build(cmd, displayArg);
}

/**
 * The argv with its environment in front as `env K=v …` words, for a command that runs inside another (sudo, a
 * sequence), where an assignment on the line would not reach it. A secret value stays a Secret.
 */
export function envArgv(cmd: Pick<RemoteCommand, 'argv' | 'env'>): readonly Arg[] {
  const env = Object.entries(cmd.env ?? {});
  if (env.length === 0) return cmd.argv;
  return ['env', ...env.map(([k, v]) => (isSecret(v) ? new Secret(`${k}=${v.reveal()}`, v.origin) : `${k}=${v}`)), ...cmd.argv];
}
