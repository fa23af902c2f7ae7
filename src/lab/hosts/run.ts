import { execFile } from 'node:child_process';
import { RemoteError } from '../../errors.js';

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program with an argv array (never through a shell). A non-zero exit is data, not an exception. */
export function run(file: string, args: readonly string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: opts.timeoutMs ?? 60_000 },
      (err, stdout, stderr) => {
        if (err && typeof err.code !== 'number') {
          reject(new Error(`${file} ${args.join(' ')}: ${err.message}`));
          return;
        }
        resolve({ code: err ? Number(err.code) : 0, stdout, stderr });
      },
    );
    // A program that exits without reading its input closes the pipe: that is not an error of ours.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(opts.input ?? '');
  });
}

/** Like run, but a non-zero exit throws with the command and its stderr. */
export async function runOk(file: string, args: readonly string[], opts: { input?: string } = {}): Promise<string> {
  const result = await run(file, args, opts);
  if (result.code !== 0) {
    const detail = result.stderr.trim() || result.stdout.trim();
    throw new RemoteError('controller', `\`${file} ${args.join(' ')}\` exited ${result.code}`, detail);
  }
  return result.stdout;
}
