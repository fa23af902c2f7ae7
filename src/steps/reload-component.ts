import { execAll } from './exec.js';
import type { StepKind } from './step-kind.js';

/** Asks a running component to re-read its config without a restart (nginx -s reload). */
export const reloadComponent: StepKind<'reload-component'> = {
  kind: 'reload-component',
  mutates: true,
  describe: (s) => `reload ${s.component}`,
  commands: (s) => [{ argv: s.argv }],
  async apply(s, ctx) {
    await execAll(ctx.transport, this.commands(s), ctx.signal);
    return { status: 'changed', reason: s.reason };
  },
};
