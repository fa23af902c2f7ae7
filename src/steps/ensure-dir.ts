import type { RemoteCommand } from '../transport/transport.js';
import { execAll } from './exec.js';
import type { StepKind } from './step-kind.js';

/** `user` or `user:group` → install's -o/-g flags. */
export function ownerFlags(owner: string): string[] {
  const [user, group] = owner.split(':');
  return [...(user ? ['-o', user] : []), ...(group ? ['-g', group] : [])];
}

/** Creates the directory (and parents) and sets mode and owner on it, in one command. */
export const ensureDir: StepKind<'ensure-dir'> = {
  kind: 'ensure-dir',
  mutates: true,
  describe: (s) => `ensure directory ${s.path} (${s.mode}, ${s.owner})`,
  commands: (s): RemoteCommand[] => [{ argv: ['install', '-d', '-m', s.mode, ...ownerFlags(s.owner), '--', s.path] }],
  async apply(s, ctx) {
    await execAll(ctx.transport, this.commands(s), ctx.signal);
    return { status: 'changed', reason: s.reason };
  },
};
