import { execAll } from './exec.js';
import type { StepKind } from './step-kind.js';

/**
 * Sets or lifts `migrate --read-only-window` on a running balancer through its runtime API (HAProxy's admin socket,
 * the map its config reads): no reload, so no client connection is closed. The command comes from the balancer's role
 * (roles/load-balancer `balancer.writeWindow.runtime`); the file beside it keeps the state for the next start.
 */
export const balancerWindow: StepKind<'balancer-window'> = {
  kind: 'balancer-window',
  mutates: true,
  describe: (s) => `${s.to === 'read-only' ? 'refuse' : 'take'} design-time writes on ${s.host} (read-only window ${s.to === 'read-only' ? 'set' : 'lifted'}, runtime API, no reload)`,
  commands: (s) => [{ argv: [...s.argv, s.to] }],
  async apply(s, ctx) {
    await execAll(ctx.transport, this.commands(s), ctx.signal);
    return { status: 'changed', reason: s.reason };
  },
};
