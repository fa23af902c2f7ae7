import type { RemoteCommand } from '../transport/transport.js';
import { execAll } from './exec.js';
import type { StepKind } from './step-kind.js';

/** `user` or `user:group` → install's -o/-g flags. */
export function ownerFlags(owner: string): string[] {
  const [user, group] = owner.split(':');
  return [...(user ? ['-o', user] : []), ...(group ? ['-g', group] : [])];
}

/** Creates the directories (and their parents) and sets mode and owner on each one named, in one command. */
export const ensureDir: StepKind<'ensure-dir'> = {
  kind: 'ensure-dir',
  mutates: true,
  describe: (s) => `ensure ${s.paths.length === 1 ? 'directory' : 'directories'} ${s.paths.join(', ')} (${s.mode}, ${s.owner})`,
  commands: (s): RemoteCommand[] => [{ argv: ['install', '-d', '-m', s.mode, ...ownerFlags(s.owner), '--', ...s.paths] }],
  async apply(s, ctx) {
    await execAll(ctx.transport, this.commands(s), ctx.signal);
    return { status: 'changed', reason: s.reason };
  },
};
