import type { Wave } from '../model/plan.js';
import { parseBatchSpec } from '../planner/rolling.js';
import { rolloutPreview, switchBatchWaves, type RolloutPreview } from './rollout/preview.js';
import { openUpgradeRun, type UpgradeOptions } from './upgrade.js';
import { batchSwitches, upgradeBatches } from './upgrade/batches.js';
import { upgradeScope } from './upgrade/scope.js';
import { stagePlan } from './upgrade/stage.js';
import { refuseCrossVersion } from './upgrade/version-gate.js';

/**
 * `upgrade --dry-run`: the same run, scope, staging plan, batches and windows the upgrade computes, from facts read
 * now, touching nothing and taking no lock. A run plans each batch again on the facts of its moment.
 */
export async function previewUpgrade(opts: UpgradeOptions): Promise<RolloutPreview> {
  const batch = parseBatchSpec(opts.batch ?? '1');
  const ctx = await openUpgradeRun(opts);
  try {
    await refuseCrossVersion(ctx, opts.inventory);
    const scope = await upgradeScope(ctx, { inventoryArg: opts.inventory, ...(opts.roles ? { roles: opts.roles } : {}) });
    const staging = stagePlan(ctx, scope, opts.peerCopy === false ? { peerCopy: false } : {});
    const waves: Wave[] = [...staging.waves];
    for (const b of scope.targets.length > 0 ? upgradeBatches(ctx.inventory, scope, batch) : []) {
      waves.push(...await switchBatchWaves(ctx, b.label, await batchSwitches(ctx, scope, b, opts.healthTimeoutMs)));
    }
    return await rolloutPreview(ctx, { ...staging, waves }, { targets: scope.targets.length, inScope: scope.nodes.length });
  } finally {
    await ctx.close();
  }
}
