import { execAll } from './exec.js';
import type { StepKind } from './step-kind.js';

const WHAT = { maint: 'take out of service', probe: 'health-check (no traffic yet)', ready: 'put back into service' } as const;

/**
 * Changes a node's servers on a load balancer through its runtime API (HAProxy's admin socket): no reload, so no
 * client connection is closed. The command comes from the balancer's role (roles/load-balancer `balancer.set`).
 */
export const balancerSet: StepKind<'balancer-set'> = {
  kind: 'balancer-set',
  mutates: true,
  describe: (s) => `${WHAT[s.to]} ${s.node ? `${s.node.host}/${s.node.role}` : 'servers'} on ${s.host} (${s.servers.length} server(s), ${s.to})`,
  commands: (s) => [{ argv: [...s.argv, s.to, ...s.servers] }],
  async apply(s, ctx) {
    await execAll(ctx.transport, this.commands(s), ctx.signal);
    return { status: 'changed', reason: s.reason };
  },
};
