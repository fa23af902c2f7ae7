/**
 * The real CLI as a child process whose `--json` events are stamped with Date.now() as they arrive, so a test can
 * line them up with what its clients saw, and act at a given step (take a host's link down, SIGKILL the run).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { RunEvent } from '../../../src/model/events.js';
import { REPO_ROOT } from './lab.js';

export type TimedEvent = RunEvent & { readonly receivedAt: number };

export interface TimedRun {
  readonly child: ChildProcess;
  readonly events: TimedEvent[];
  /** `{"notice": …}` lines (what the plain output prints as text), stamped as they arrive. */
  readonly notices: { readonly text: string; readonly receivedAt: number }[];
  /** Resolves when the CLI exits: its code (null when killed by a signal), output and events. */
  readonly done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; events: readonly TimedEvent[] }>;
}

/** Starts `bin/apim-deploy ARGS`; `onEvent` sees every event as it arrives (and may kill the child). */
export function startCli(args: readonly string[], onEvent?: (e: TimedEvent, run: TimedRun) => void): TimedRun {
  const child = spawn(join(REPO_ROOT, 'bin/apim-deploy'), [...args], { env: { ...process.env, NO_COLOR: '1', CI: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const events: TimedEvent[] = [];
  const notices: TimedRun['notices'] = [];
  let stdout = '';
  let stderr = '';
  let partial = '';
  const run = { child, events, notices } as unknown as TimedRun;
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (c: string) => (stderr += c));
  child.stdout!.on('data', (c: string) => {
    stdout += c;
    const lines = (partial + c).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      if (!line.startsWith('{')) continue;
      let parsed: { type?: unknown; notice?: unknown };
      try {
        parsed = JSON.parse(line) as typeof parsed;
      } catch {
        continue; // not a JSON line
      }
      if (typeof parsed.notice === 'string') notices.push({ text: parsed.notice, receivedAt: Date.now() });
      if (typeof parsed.type !== 'string') continue;
      const e = { ...(parsed as RunEvent), receivedAt: Date.now() } as TimedEvent;
      events.push(e);
      onEvent?.(e, run);
    }
  });
  (run as { done: TimedRun['done'] }).done = new Promise((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, events }));
  });
  return run;
}

/** Per node (`host`), when each balancer first took it out (`maint` set) and last put it back (`ready` done), by Date.now(). */
export function drainWindows(events: readonly TimedEvent[]): Map<string, { from: number; to: number }[]> {
  const windows = new Map<string, { from: number; to: number }[]>();
  for (const e of events) {
    if (e.type !== 'step-start' && e.type !== 'step-end') continue;
    const m = /\/balancer-set\/(maint|ready)-(.+)-(?:control-plane|gateway|traffic-manager|key-manager|all-in-one)$/.exec(e.stepId);
    if (!m) continue;
    const list = windows.get(m[2]!) ?? windows.set(m[2]!, []).get(m[2]!)!;
    if (m[1] === 'maint' && e.type === 'step-start') list.push({ from: e.receivedAt, to: Number.POSITIVE_INFINITY });
    if (m[1] === 'ready' && e.type === 'step-end' && list.length > 0) list[list.length - 1]!.to = e.receivedAt;
  }
  return windows;
}
