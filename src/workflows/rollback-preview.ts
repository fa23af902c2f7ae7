import type { Wave } from '../model/plan.js';
import { planMeta, planOfWaves } from '../planner/plan-of.js';
import { rolloutPreview, switchBatchWaves, type RolloutPreview } from './rollout/preview.js';
import { openRollbackRun, rollbackScope, rollbackSwitches, type RollbackOptions } from './rollback.js';

/**
 * `rollback --dry-run`: the rollback's own scope, batches and switches (same functions), printed; no lock, no audit
 * line, nothing changed. A run builds each batch again on the facts of its moment.
 */
export async function previewRollback(opts: RollbackOptions): Promise<RolloutPreview> {
  const ctx = await openRollbackRun(opts);
  const notice = opts.onNotice ?? (() => {});
  try {
    const scope = await rollbackScope(ctx, opts, notice);
    const waves: Wave[] = [];
    for (const b of scope.batches) waves.push(...await switchBatchWaves(ctx, b.label, await rollbackSwitches(ctx, b.nodes, notice, opts.healthTimeoutMs)));
    const plan = planOfWaves(planMeta(ctx.inventory.file, ctx.inventory.apim.version), waves);
    const inScope = scope.wso2.filter((r) => !ctx.limited || ctx.limited.has(r.host)).length;
    return await rolloutPreview(ctx, plan, { targets: scope.targets.length, inScope });
  } finally {
    await ctx.close();
  }
}
