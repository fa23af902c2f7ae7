import type { Plan } from '../../model/plan.js';
import { planMeta, planOfWaves } from '../../planner/plan-of.js';
import { stageSteps } from '../../planner/rolling-stage.js';
import type { RunContext } from '../run/open-run.js';
import type { UpgradeScope } from './scope.js';

/** Everything that happens before the first node stops: hosts prepared, new releases unpacked and configured. */
export function stagePlan(ctx: Pick<RunContext, 'inventory' | 'desired'>, scope: UpgradeScope): Plan {
  const version = ctx.inventory.apim.version;
  const staged = stageSteps(ctx.desired, scope.state, scope.targets.map((n) => n.node));
  return planOfWaves(planMeta(ctx.inventory.file, version),
    [{ label: 'stage: hosts', steps: staged.host }, { label: `stage: ${version} releases`, steps: staged.nodes }]);
}
