import { InternalError } from '../errors.js';
import type { RemoteCommand } from '../transport/transport.js';
import { execAll } from './exec.js';
import { livePid, pidAliveCommand } from './remote-facts.js';
import type { StepKind } from './step-kind.js';

/**
 * The start script runs in its own session with stdin from /dev/null: the daemon it leaves behind must
 * neither die with the SSH session (SIGHUP) nor hold the session's streams open.
 */
export const DETACH_SCRIPT = 'setsid "$@" </dev/null';

export const startComponent: StepKind<'start-component'> = {
  kind: 'start-component',
  mutates: true,
  describe: (s) => `start ${s.component}`,
  commands(s): RemoteCommand[] {
    const env = Object.keys(s.env).length > 0 ? { env: s.env } : {};
    return [{ argv: ['sh', '-c', DETACH_SCRIPT, 'start-component', ...s.argv], ...env }];
  },
  preview(s) {
    const lines = s.pidFile ? [`${pidAliveCommand(s.pidFile).argv.slice(0, 3).join(' ')} …  # skip when running`] : [];
    if (s.secretFile) lines.push(`put ${s.secretFile.path} mode=0600 owner=${s.secretFile.owner}  # the keystore password; the server deletes it as it starts`);
    return lines;
  },
  async apply(s, ctx) {
    if (s.pidFile) {
      const pid = await livePid(ctx.transport, s.pidFile, ctx.signal);
      if (pid !== null) return { status: 'unchanged', reason: `already running (pid ${pid})` };
    }
    if (!s.secretFile) {
      await execAll(ctx.transport, this.commands(s), ctx.signal);
      return { status: 'changed', reason: s.reason };
    }
    const file = ctx.contents.get(s.secretFile.key);
    if (!file) throw new InternalError(`no content for ${s.secretFile.path} (${s.secretFile.key}) was handed to the executor`);
    await ctx.transport.put(file.content, s.secretFile.path, { mode: '0600', owner: s.secretFile.owner });
    try {
      await execAll(ctx.transport, this.commands(s), ctx.signal);
    } catch (err) {
      // The server never read it: take the password off the disk again (best effort; the start's error is the news).
      await execAll(ctx.transport, [{ argv: ['rm', '-f', '--', s.secretFile.path] }], ctx.signal).catch(() => undefined);
      throw err;
    }
    return { status: 'changed', reason: s.reason };
  },
};
