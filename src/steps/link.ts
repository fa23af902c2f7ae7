import type { RemoteCommand } from '../transport/transport.js';
import { execUnless } from './exec.js';
import type { StepKind } from './step-kind.js';

/** Exit 0 when the link already points at the target (the guard of the link's own commands). */
const pointsAt = (path: string, target: string): RemoteCommand =>
  ({ argv: ['sh', '-c', '[ "$(readlink -- "$1")" = "$2" ]', 'link-points-at', path, target] });

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
    if (!(await execUnless(ctx.transport, pointsAt(s.path, s.target), this.commands(s), ctx.signal))) {
      return { status: 'unchanged', reason: `${s.path} already points at ${s.target}` };
    }
    return { status: 'changed', reason: s.reason };
  },
};
