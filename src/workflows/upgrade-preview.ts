import type { FileContent, Plan, Wave } from '../model/plan.js';
import type { Secret } from '../model/secret.js';
import { balancerSteps, switchSteps } from '../planner/rolling-window.js';
import { parseBatchSpec } from '../planner/rolling.js';
import { previewContents } from './run/current-contents.js';
import { balancerChanges } from './rollout/balancer.js';
import { openUpgradeRun, type UpgradeOptions } from './upgrade.js';
import { batchSwitches, upgradeBatches } from './upgrade/batches.js';
import { upgradeScope } from './upgrade/scope.js';
import { stagePlan } from './upgrade/stage.js';

export interface UpgradePreview {
  /** Staging waves, then per batch: drain, switch, undrain — as the run would build them on today's facts. */
  readonly plan: Plan;
  /** Rendered files and what the files they would replace hold today, for diffs. */
  readonly contents: ReadonlyMap<string, FileContent>;
  readonly secrets: readonly Secret[];
  readonly targets: number;
  readonly inScope: number;
}

/**
 * `upgrade --dry-run`: the same run, scope, staging plan, batches and windows the upgrade computes, from facts read
 * now, touching nothing and taking no lock. A run plans each batch again on the facts of its moment.
 */
export async function previewUpgrade(opts: UpgradeOptions): Promise<UpgradePreview> {
  const batch = parseBatchSpec(opts.batch ?? '1');
  const ctx = await openUpgradeRun(opts);
  try {
    const scope = await upgradeScope(ctx, { inventoryArg: opts.inventory, ...(opts.roles ? { roles: opts.roles } : {}) });
    const staging = stagePlan(ctx, scope);
    const waves: Wave[] = [...staging.waves];
    for (const b of scope.targets.length > 0 ? upgradeBatches(ctx.inventory, scope, batch) : []) {
      const switches = await batchSwitches(ctx, scope, b, opts.healthTimeoutMs);
      const nodes = switches.map((s) => s.node);
      const drain = await balancerChanges(ctx, nodes, nodes);
      // When the batch rejoins, the balancers hold the drained config the drain uploaded.
      const undrain = (await balancerChanges(ctx, nodes, [])).map((c) => c.config
        ? { ...c, config: { ...c.config, expectSha256: drain.find((d) => d.host === c.host)?.config?.sha256 ?? c.config.expectSha256 } } : c);
      waves.push({ label: `${b.label}: drain`, steps: balancerSteps(drain, false) }, { label: `${b.label}: switch`, steps: switchSteps(switches, { rememberPrevious: true }) },
        { label: `${b.label}: undrain`, steps: balancerSteps(undrain, true) });
    }
    const plan: Plan = { ...staging, waves: waves.filter((w) => w.steps.length > 0) };
    const contents = await previewContents(ctx, plan.waves.flatMap((w) => w.steps));
    return { plan, contents, secrets: ctx.inventory.secrets, targets: scope.targets.length, inScope: scope.nodes.length };
  } finally {
    await ctx.close();
  }
}
