import type { Plan } from '../../model/plan.js';
import { artifactHolders, withPeerCopies } from '../../planner/peer-copy.js';
import { planMeta, planOfWaves } from '../../planner/plan-of.js';
import { stageSteps } from '../../planner/rolling-stage.js';
import type { RunContext } from '../run/open-run.js';
import type { UpgradeScope } from './scope.js';

/**
 * Everything that happens before the first node stops: hosts prepared, new releases unpacked and configured. A new
 * pack or JDK crosses the controller's link once per datacenter, or not at all where a host in scope holds it
 * (planner/peer-copy.ts), unless `peerCopy` is false.
 */
export function stagePlan(ctx: Pick<RunContext, 'inventory' | 'desired'>, scope: UpgradeScope, opts: { readonly peerCopy?: boolean } = {}): Plan {
  const version = ctx.inventory.apim.version;
  const staged = stageSteps(ctx.desired, scope.state, scope.targets.map((n) => n.node));
  const waves = [{ label: 'stage: hosts', steps: staged.host }, { label: `stage: ${version} releases`, steps: staged.nodes }];
  const copied = opts.peerCopy === false ? waves
    : withPeerCopies(waves, new Map(ctx.inventory.hosts.map((h) => [h.name, h])), artifactHolders(scope.hosts, (h) => scope.state.get(h)?.facts));
  return planOfWaves(planMeta(ctx.inventory.file, version), copied);
}
