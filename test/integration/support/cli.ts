/** Runs the real CLI (`bin/apim-deploy`) as a child process, with its exit code, output and `--json` events. */
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { RunEvent, StepEndEvent } from '../../../src/model/events.js';
import { REPO_ROOT } from './lab.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Every stdout line that parses as a JSON object with a `type` (the `--json` event stream). */
  readonly events: readonly RunEvent[];
}

export function runCli(args: readonly string[], opts: { timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((done) => {
    execFile(join(REPO_ROOT, 'bin/apim-deploy'), [...args],
      { encoding: 'utf8', timeout: opts.timeoutMs ?? 300_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', CI: '1' } },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        done({ code, stdout, stderr, events: parseEvents(stdout) });
      });
  });
}

/** What an interrupted run printed (stdout and stderr in arrival order), its exit code, and whether the signal went. */
export interface InterruptedRun {
  readonly code: number | null;
  readonly out: string;
  readonly sent: boolean;
}

/** Runs the CLI and sends SIGINT (Ctrl-C) once its stdout so far matches `when`, e.g. a `--json` step-start event. */
export function interruptCli(args: readonly string[], when: RegExp): Promise<InterruptedRun> {
  const child = spawn(join(REPO_ROOT, 'bin/apim-deploy'), [...args], { env: { ...process.env, CI: '1' } });
  let out = '';
  let sent = false;
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (out += chunk));
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
    if (!sent && when.test(out)) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, sent })));
}

function parseEvents(stdout: string): RunEvent[] {
  const events: RunEvent[] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const e = JSON.parse(line) as RunEvent;
      if (typeof e.type === 'string') events.push(e);
    } catch { /* not an event line */ }
  }
  return events;
}

export const stepEnds = (events: readonly RunEvent[]): StepEndEvent[] => events.filter((e): e is StepEndEvent => e.type === 'step-end');

/** `provision --json` with the given inventory and extra options. */
export const provisionCli = (inventory: string, ...extra: string[]): Promise<CliResult> =>
  runCli(['provision', '-i', inventory, '--json', ...extra]);

/** Number of steps that changed something (the recap's `changed`, summed over hosts). */
export function changedCount(events: readonly RunEvent[]): number {
  const end = events.find((e) => e.type === 'run-end');
  if (!end || end.type !== 'run-end') throw new Error('no run-end event: the run did not finish');
  return end.recap.reduce((n, r) => n + r.changed, 0);
}

/** Failed steps with their error and detail, plus stderr: the message for an `expect(run.code, ...)`. */
export function failureSummary(run: CliResult): string {
  const failed = stepEnds(run.events).filter((e) => e.status === 'failed')
    .map((e) => `${e.stepId}: ${e.error?.message ?? e.reason}\n${e.error?.detail ?? ''}`);
  return [`exit ${run.code}`, ...failed, run.stderr.trim()].filter(Boolean).join('\n');
}
