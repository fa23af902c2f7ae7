/** Local processes a test starts itself: scripts run as an operator would, and daemons watched by PID. Any tier. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface ScriptResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a script with `sh`, as an operator or the orchestrator does; the timeout only ends a hung script. */
export async function runScript(script: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<ScriptResult> {
  try {
    const { stdout, stderr } = await execFileAsync('sh', [script, ...args], { env, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Alive and not a zombie (an exited daemon waits as a zombie until PID 1 reaps it, which can take a while). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
