import type { Wave } from '../../model/plan.js';
import { balancerSteps, switchSteps, type NodeSwitch } from '../../planner/rolling-window.js';
import { balancerChanges, type BalancerContext } from './balancer.js';

/**
 * A batch of release switches as a preview prints it (upgrade --dry-run, rollback --dry-run): drain, switch,
 * undrain, built by the code the run uses, on today's facts.
 */
export async function switchBatchWaves(ctx: BalancerContext, label: string, switches: readonly NodeSwitch[]): Promise<Wave[]> {
  const nodes = switches.map((s) => s.node);
  const drain = await balancerChanges(ctx, nodes, nodes);
  // When the batch rejoins, the balancers hold the drained config the drain uploaded.
  const undrain = (await balancerChanges(ctx, nodes, [])).map((c) => ({ ...c, expectSha256: drain.find((d) => d.host === c.host)?.sha256 ?? c.expectSha256 }));
  return [
    { label: `${label}: drain`, steps: balancerSteps(drain, false) },
    { label: `${label}: switch`, steps: switchSteps(switches, { rememberPrevious: true }) },
    { label: `${label}: undrain`, steps: balancerSteps(undrain, true) },
  ];
}
