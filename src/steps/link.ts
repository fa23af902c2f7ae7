import type { RemoteCommand } from '../transport/transport.js';
import { execAll } from './exec.js';
import type { StepKind } from './step-kind.js';

const readlinkCommand = (path: string): RemoteCommand => ({ argv: ['readlink', '--', path] });

/** Points a symlink (the `current` release link) at its target atomically: new link beside it, then rename. */
export const link: StepKind<'link'> = {
  kind: 'link',
  mutates: true,
  describe: (s) => `point ${s.path} at ${s.target}`,
  commands: (s) => [
    { argv: ['ln', '-sfn', '--', s.target, `${s.path}.new`] },
    { argv: ['mv', '-Tf', '--', `${s.path}.new`, s.path] },
  ],
  async apply(s, ctx) {
    const current = await ctx.transport.exec(readlinkCommand(s.path), ctx.signal);
    if (current.exitCode === 0 && current.stdout.replace(/\n$/, '') === s.target) {
      return { status: 'unchanged', reason: `${s.path} already points at ${s.target}` };
    }
    await execAll(ctx.transport, this.commands(s), ctx.signal);
    return { status: 'changed', reason: s.reason };
  },
};
