import type { FileContent, Plan, Wave } from '../model/plan.js';
import type { Secret } from '../model/secret.js';
import { PLAN_FORMAT } from '../model/plan.js';
import { previewContents } from './run/current-contents.js';
import { switchBatchWaves } from './rollout/preview.js';
import { openRollbackRun, rollbackScope, rollbackSwitches, type RollbackOptions } from './rollback.js';

export interface RollbackPreview {
  /** Per batch: drain, switch back, undrain — as the rollback would build them on today's facts. */
  readonly plan: Plan;
  readonly contents: ReadonlyMap<string, FileContent>;
  readonly secrets: readonly Secret[];
  readonly targets: number;
  readonly inScope: number;
}

/**
 * `rollback --dry-run`: the rollback's own scope, batches and switches (same functions), printed; no lock, no audit
 * line, nothing changed. A run builds each batch again on the facts of its moment.
 */
export async function previewRollback(opts: RollbackOptions): Promise<RollbackPreview> {
  const ctx = await openRollbackRun(opts);
  const notice = opts.onNotice ?? (() => {});
  try {
    const scope = await rollbackScope(ctx, opts, notice);
    const waves: Wave[] = [];
    for (const b of scope.batches) waves.push(...await switchBatchWaves(ctx, b.label, await rollbackSwitches(ctx, b.nodes, notice, opts.healthTimeoutMs)));
    const plan: Plan = {
      format: PLAN_FORMAT, inventory: ctx.inventory.file, apimVersion: ctx.inventory.apim.version, createdAt: new Date().toISOString(),
      factsFingerprint: {}, waves: waves.filter((w) => w.steps.length > 0), unchanged: [],
    };
    const contents = await previewContents(ctx, plan.waves.flatMap((w) => w.steps));
    const inScope = scope.wso2.filter((r) => !ctx.limited || ctx.limited.has(r.host)).length;
    return { plan, contents, secrets: ctx.inventory.secrets, targets: scope.targets.length, inScope };
  } finally {
    await ctx.close();
  }
}
