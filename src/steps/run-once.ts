import { posix } from 'node:path';
import type { RemoteCommand } from '../transport/transport.js';
import { execAll } from './exec.js';
import type { StepKind } from './step-kind.js';

const markerExists = (marker: string): RemoteCommand => ({ argv: ['test', '-e', marker] });

/**
 * A one-time action (key-manager profile setup, database scripts) guarded by a marker file written only
 * after success, so an interrupted run retries and a finished one never repeats.
 */
export const runOnce: StepKind<'run-once'> = {
  kind: 'run-once',
  mutates: true,
  describe: (s) => `run once: ${s.name} (guarded by ${s.marker})`,
  commands: (s) => [
    s.env ? { argv: s.argv, env: s.env } : { argv: s.argv },
    { argv: ['mkdir', '-p', '--', posix.dirname(s.marker)] },
    { argv: ['touch', '--', s.marker] },
  ],
  preview(s) {
    return [`test -e ${s.marker}  # skip when it exists`];
  },
  async apply(s, ctx) {
    if ((await ctx.transport.exec(markerExists(s.marker), ctx.signal)).exitCode === 0) {
      return { status: 'unchanged', reason: `already done (${s.marker} exists)` };
    }
    await execAll(ctx.transport, this.commands(s), ctx.signal);
    return { status: 'changed', reason: s.reason };
  },
};
