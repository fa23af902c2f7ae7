import { posix } from 'node:path';
import { InternalError } from '../errors.js';
import type { FileContent } from '../model/plan.js';
import { Secret } from '../model/secret.js';
import { describeCommand } from '../transport/quote.js';
import type { RemoteCommand } from '../transport/transport.js';
import { execAll, execUnless } from './exec.js';
import type { StepKind } from './step-kind.js';

/** The command with the run's secret on its stdin, when the step has one. */
function withStdin(command: RemoteCommand, s: { readonly name: string; readonly stdinKey?: string }, contents: ReadonlyMap<string, FileContent>): RemoteCommand {
  if (!s.stdinKey) return command;
  const secret = contents.get(s.stdinKey);
  if (!secret) throw new InternalError(`no content for the stdin of ${s.name} (${s.stdinKey}) was handed to the executor`);
  return { ...command, stdin: new Secret(secret.content, s.stdinKey) };
}

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
    return [
      `test -e ${s.marker}  # skip when it exists`,
      ...(s.doneCheck ? [`${describeCommand(s.doneCheck)}  # without the marker: skip (and write the marker) when this finds the action's own record`] : []),
      ...(s.stdinKey ? ['# a password on stdin, from this machine (no file, no argv)'] : []),
    ];
  },
  async apply(s, ctx) {
    const [command, ...after] = this.commands(s);
    const unchanged = { status: 'unchanged', reason: `already done (${s.marker} exists)` } as const;
    if (!s.doneCheck) {
      const ran = await execUnless(ctx.transport, markerExists(s.marker), [withStdin(command!, s, ctx.contents), ...after], ctx.signal);
      return ran ? { status: 'changed', reason: s.reason } : unchanged;
    }
    if ((await ctx.transport.exec(markerExists(s.marker), ctx.signal)).exitCode === 0) return unchanged;
    if ((await ctx.transport.exec({ argv: s.doneCheck }, ctx.signal)).exitCode === 0) {
      await execAll(ctx.transport, after, ctx.signal);
      return { status: 'unchanged', reason: `already done (its own record says so; ${s.marker} written now)` };
    }
    await execAll(ctx.transport, [withStdin(command!, s, ctx.contents), ...after], ctx.signal);
    return { status: 'changed', reason: s.reason };
  },
};
