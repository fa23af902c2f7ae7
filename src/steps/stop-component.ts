import { RemoteError } from '../errors.js';
import { execAll, execChecked } from './exec.js';
import { livePid, processAlive } from './remote-facts.js';
import type { StepContext, StepKind } from './step-kind.js';

/** How often to look for the process while it shuts down. */
export const STOP_POLL_MS = 500;
/** After SIGKILL, how long the kernel gets to reap it before we call the stop a failure. */
const AFTER_KILL_MS = 5_000;

/**
 * Runs the stop command (WSO2's `stop` only sends SIGTERM and returns), then waits for the PID to exit
 * within graceMs; past that, SIGKILL with a warning.
 */
export const stopComponent: StepKind<'stop-component'> = {
  kind: 'stop-component',
  mutates: true,
  describe: (s) => `stop ${s.component} (wait ${Math.round(s.graceMs / 1000)}s for exit, then SIGKILL)`,
  commands: (s) => [{ argv: s.argv, ...(s.env && Object.keys(s.env).length > 0 ? { env: s.env } : {}) }],
  preview: (s) => (s.pidFile ? [`# wait for the pid in ${s.pidFile} to exit; kill -KILL after ${s.graceMs} ms`] : []),
  async apply(s, ctx) {
    const { transport, signal } = ctx;
    const pid = s.pidFile ? await livePid(transport, s.pidFile, signal) : null;
    if (s.pidFile && pid === null) return { status: 'unchanged', reason: `not running (no live pid in ${s.pidFile})` };
    await execAll(transport, this.commands(s), signal);
    if (pid === null) return { status: 'changed', reason: s.reason };

    if (await waitForExit(ctx, pid, s.graceMs)) return { status: 'changed', reason: s.reason };
    await execChecked(transport, { argv: ['kill', '-KILL', String(pid)] }, signal);
    const warning = `${s.component} (pid ${pid}) did not exit within ${s.graceMs} ms of stop; sent SIGKILL`;
    if (!(await waitForExit(ctx, pid, AFTER_KILL_MS))) {
      throw new RemoteError(transport.host, `${s.component} (pid ${pid}) survived SIGKILL for ${AFTER_KILL_MS} ms`);
    }
    return { status: 'changed', reason: s.reason, warnings: [warning] };
  },
};

async function waitForExit(ctx: StepContext, pid: number, withinMs: number): Promise<boolean> {
  const deadline = ctx.clock.now() + withinMs;
  for (;;) {
    if (!(await processAlive(ctx.transport, pid, ctx.signal))) return true;
    const left = deadline - ctx.clock.now();
    if (left <= 0) return false;
    await ctx.clock.sleep(Math.min(STOP_POLL_MS, left), ctx.signal);
  }
}
