import type { RemoteCommand } from '../transport/transport.js';
import { execAll } from './exec.js';
import type { StepKind } from './step-kind.js';

const exists = (path: string): RemoteCommand => ({ argv: ['test', '-e', path] });

/** Removes a file apim-deploy wrote outside any role's file list (a migration's balancer rule), or one a role says must not be there (role.yaml `absent`); absent is done. */
export const removeFile: StepKind<'remove-file'> = {
  kind: 'remove-file',
  mutates: true,
  describe: (s) => `remove ${s.path}`,
  commands: (s): RemoteCommand[] => [{ argv: ['rm', '-f', '--', s.path] }],
  async apply(s, ctx) {
    if ((await ctx.transport.exec(exists(s.path), ctx.signal)).exitCode !== 0) return { status: 'unchanged', reason: `${s.path} is not there` };
    await execAll(ctx.transport, this.commands(s), ctx.signal);
    return { status: 'changed', reason: s.reason };
  },
};
