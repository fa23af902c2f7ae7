/**
 * How a step's commands share one exec (exec.ts): the script that runs them on the host and reads how they ended.
 */
import { randomBytes } from 'node:crypto';
import { envArgv } from '../transport/quote.js';
import type { Arg, RemoteCommand } from '../transport/transport.js';

/**
 * A step's commands in one exec (one sudo, one channel) instead of one each: an optional guard first (exit 0: the work
 * is there already and nothing else runs), then the commands one after another, stopping at the first that fails with
 * its exit code. Each argv travels as arguments, as in a batch; stdin goes to the one command that takes it, the
 * others read /dev/null. The closing line carries a nonce, so a command's output cannot fake how the sequence ended.
 */
export interface CommandSequence {
  readonly command: RemoteCommand;
  /** How it ended, from its stdout: null when the closing line is missing (the shell was killed). */
  end(stdout: string): { readonly kind: 'skipped' | 'done' } | { readonly kind: 'failed'; readonly index: number } | null;
  /** The commands' own output: stdout without the closing line. */
  output(stdout: string): string;
}

export const SEQUENCE_END = 'apim-deploy-sequence-end';

/** $1 nonce, $2 1 when the first command is the guard, $3 the index that takes stdin (-1: none), then argc + argv each. */
export const SEQUENCE_SCRIPT = [
  'nonce=$1 guard=$2 input=$3; shift 3',
  'i=0',
  'while [ "$#" -gt 0 ]; do',
  '  n=$1; shift; j=1; cmd=',
  '  while [ "$j" -le "$n" ]; do cmd="$cmd \\"\\${$j}\\""; j=$((j + 1)); done',
  '  if [ "$i" = "$input" ]; then (eval "exec $cmd"); else (eval "exec $cmd") </dev/null; fi',
  '  rc=$?',
  '  if [ "$i" = 0 ] && [ "$guard" = 1 ]; then',
  `    [ "$rc" = 0 ] && { printf '\\n${SEQUENCE_END} %s skip\\n' "$nonce"; exit 0; }`,
  `  elif [ "$rc" != 0 ]; then printf '\\n${SEQUENCE_END} %s fail %s\\n' "$nonce" "$i"; exit "$rc"; fi`,
  '  shift "$n"; i=$((i + 1))',
  'done',
  `printf '\\n${SEQUENCE_END} %s done\\n' "$nonce"`,
].join('\n');

/**
 * The sequence, or null when the commands cannot share one exec as they are: a working directory, a timeout or the
 * login user's own rights (asLoginUser) belong to one command's exec, and only one command can have the stdin.
 */
export function commandSequence(commands: readonly RemoteCommand[], guard?: RemoteCommand,
  nonce = randomBytes(12).toString('hex')): CommandSequence | null {
  const all = guard ? [guard, ...commands] : [...commands];
  if (all.some((c) => c.cwd !== undefined || c.timeoutMs !== undefined || c.asLoginUser)) return null;
  const inputs = all.flatMap((c, i) => (c.stdin === undefined ? [] : [i]));
  if (inputs.length > 1) return null;
  const input = inputs[0];
  const argv: Arg[] = ['sh', '-c', SEQUENCE_SCRIPT, 'apim-deploy-sequence', nonce, guard ? '1' : '0', String(input ?? -1)];
  for (const c of all) {
    const words = envArgv(c);
    argv.push(String(words.length), ...words);
  }
  const stdin = input === undefined ? undefined : all[input]!.stdin;
  const offset = guard ? 1 : 0;
  const marker = `\n${SEQUENCE_END} ${nonce} `;
  return {
    command: stdin === undefined ? { argv } : { argv, stdin },
    output: (stdout) => {
      const at = stdout.lastIndexOf(marker);
      return at < 0 ? stdout : stdout.slice(0, at);
    },
    end: (stdout) => {
      const at = stdout.lastIndexOf(marker);
      if (at < 0) return null;
      const [word, index] = stdout.slice(at + marker.length).trim().split(' ');
      if (word === 'skip') return { kind: 'skipped' };
      if (word === 'done') return { kind: 'done' };
      const i = Number(index) - offset;
      return word === 'fail' && Number.isInteger(i) && i >= 0 && i < commands.length ? { kind: 'failed', index: i } : null;
    },
  };
}
