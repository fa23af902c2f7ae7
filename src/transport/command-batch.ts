/**
 * Several read-only commands in one exec, each answered with its own output and exit code: how a connection's first
 * command carries every read a run needs from a host at once. The commands run one after another, without stdin;
 * each argv travels as arguments (count-prefixed), never inside the script. Each answer ends with a line carrying a
 * nonce the host cannot guess, so no output (a process name, a file's content) can fake where an answer ends.
 */
import { randomBytes } from 'node:crypto';
import type { CommandAnswer } from './transport.js';

export interface CommandBatch {
  readonly argv: readonly string[];
  /** The answers in the order of the commands; null when the output is not a whole batch's (cut short, or not ours). */
  split(stdout: string): CommandAnswer[] | null;
}

const END = 'apim-deploy-batch-end';

/**
 * $1 the nonce, then for each command its argc and argv. `cmd` holds only references ("${3}"), never a value, so
 * eval runs each argv as it came.
 */
export const BATCH_SCRIPT = [
  'nonce=$1; shift',
  'while [ "$#" -gt 0 ]; do',
  '  n=$1; shift; i=1; cmd=',
  '  while [ "$i" -le "$n" ]; do cmd="$cmd \\"\\${$i}\\""; i=$((i + 1)); done',
  `  (eval "exec $cmd") </dev/null; printf '\\n${END} %s %s\\n' "$nonce" "$?"`,
  '  shift "$n"',
  'done',
].join('\n');

export function commandBatch(commands: readonly (readonly string[])[], nonce = randomBytes(12).toString('hex')): CommandBatch {
  const argv = ['sh', '-c', BATCH_SCRIPT, 'apim-deploy-batch', nonce, ...commands.flatMap((c) => [String(c.length), ...c])];
  return {
    argv,
    split: (stdout) => {
      const answers: CommandAnswer[] = [];
      const marker = `\n${END} ${nonce} `;
      let from = 0;
      for (let i = 0; i < commands.length; i++) {
        const at = stdout.indexOf(marker, from);
        if (at < 0) return null;
        const end = stdout.indexOf('\n', at + marker.length);
        const code = Number(stdout.slice(at + marker.length, end < 0 ? undefined : end));
        answers.push({ exitCode: Number.isInteger(code) ? code : null, stdout: stdout.slice(from, at) });
        from = end < 0 ? stdout.length : end + 1;
      }
      return answers;
    },
  };
}
