import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/health/index.js';
import { stepKinds, type StepContext } from '../../../src/steps/index.js';
import { pidAliveCommand } from '../../../src/steps/remote-facts.js';
import type { RecordingTransport } from '../../fakes/recording-transport.js';
import { alive } from '../../support/processes.js';
import { steps } from './fixtures.js';
import { runInShell, shellTransport } from './shell.js';

/**
 * Real processes on this machine: a start script that daemonizes like WSO2's (nohup … &, PID file),
 * stopped by the stop-component logic with a real clock.
 */
const START = 'nohup sh -c "$1" >/dev/null 2>&1 & echo $! > "$0"';

describe('start and stop real processes', () => {
  let dir: string;
  let t: RecordingTransport;
  const ctx = (): StepContext => ({ transport: t, transportFor: () => undefined, contents: new Map(), clock: systemClock, waitHealthy: async () => [] });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'apim-proc-'));
    t = shellTransport();
  });
  afterEach(async () => {
    await runInShell({ argv: ['sh', '-c', 'kill -KILL "$(cat "$0")" 2>/dev/null; true', join(dir, 'pid')] });
    rmSync(dir, { recursive: true, force: true });
  });

  const start = (body: string) => ({
    ...steps.start, env: {}, pidFile: join(dir, 'pid'), argv: ['sh', '-c', START, join(dir, 'pid'), body],
  });
  const stop = (graceMs: number) => ({
    ...steps.stop, pidFile: join(dir, 'pid'), graceMs, argv: ['sh', '-c', 'kill -TERM "$(cat "$0")"', join(dir, 'pid')],
  });

  it('starts a daemon without hanging on its streams, then sees it running', async () => {
    expect(await stepKinds['start-component'].apply(start('exec sleep 30'), ctx())).toMatchObject({ status: 'changed' });
    // Returned while the daemon still runs: it did not wait for the daemon's streams to close (that is, for its end).
    expect(alive(Number(readFileSync(join(dir, 'pid'), 'utf8')))).toBe(true);
    expect(await stepKinds['start-component'].apply(start('exec sleep 30'), ctx())).toMatchObject({
      status: 'unchanged', reason: expect.stringMatching(/^already running \(pid \d+\)$/),
    });
  });

  it('stops a process that honours SIGTERM without a warning', async () => {
    await stepKinds['start-component'].apply(start('exec sleep 30'), ctx());
    const outcome = await stepKinds['stop-component'].apply(stop(5000), ctx());
    expect(outcome).toEqual({ status: 'changed', reason: 'test' });
    expect(await stepKinds['stop-component'].apply(stop(5000), ctx())).toMatchObject({ status: 'unchanged' });
  });

  it('SIGKILLs a process that ignores SIGTERM after the grace period, with a warning', async () => {
    await stepKinds['start-component'].apply(start('trap "" TERM; exec sleep 30'), ctx());
    const begun = Date.now();
    const outcome = await stepKinds['stop-component'].apply(stop(800), ctx());
    expect(Date.now() - begun).toBeGreaterThanOrEqual(800);
    expect(outcome.warnings?.[0]).toMatch(/^gateway \(pid \d+\) did not exit within 800 ms of stop; sent SIGKILL$/);
    // Gone = not signalable, or a zombie its parent has not reaped yet (it has exited all the same).
    expect((await runInShell(pidAliveCommand(join(dir, 'pid')))).exitCode).not.toBe(0);
  });
});
