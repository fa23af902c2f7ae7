import { ConfigError, RemoteError, UsageError } from '../errors.js';
import { executePlanned, type ProvisionOptions, type ProvisionResult } from './provision.js';
import { openPlannedRun } from './run/planned-run.js';
import { driftDetails, driftedHosts, staleUploads } from './saved-plan/drift.js';
import { readSavedPlan } from './saved-plan/plan-file.js';

export interface ApplyPlanOptions extends ProvisionOptions {
  /** A file written by `plan --out` (or `plan --json`). */
  readonly planFile: string;
}

const REPLAN = 'make a new plan and review it: apim-deploy plan -i INV --out FILE';

/**
 * `provision --plan FILE`: executes exactly the saved plan, after re-reading every host's facts. Refuses, with
 * nothing touched, when a host changed since the plan was made (its facts fingerprint differs) or when the
 * inventory no longer renders the files the plan uploads.
 */
export async function applySavedPlan(opts: ApplyPlanOptions): Promise<ProvisionResult> {
  const saved = readSavedPlan(opts.planFile);
  if (opts.limit !== undefined && opts.limit !== saved.limit) {
    throw new UsageError(`--limit ${opts.limit} differs from the plan's (${saved.limit ?? 'none'})`, 'a saved plan runs with the limit it was made with: drop --limit');
  }
  const { limit: _ignored, ...rest } = opts;
  const planned = await openPlannedRun({ ...rest, ...(saved.limit !== null ? { limit: saved.limit } : {}) });
  try {
    const { ctx, plan } = planned;
    if (ctx.inventory.file !== saved.plan.inventory) {
      throw new UsageError(`${opts.planFile} was made from ${saved.plan.inventory}, not ${ctx.inventory.file}`, 'pass the same inventory with -i');
    }
    const drifted = driftedHosts(saved.plan, plan);
    if (drifted.length > 0) {
      throw new RemoteError(drifted.join(', '), `${drifted.length} host(s) changed since the plan was made (${saved.plan.createdAt}); nothing was changed`,
        driftDetails(saved.plan, plan, drifted).map((l) => `  ${l}`).join('\n'), REPLAN);
    }
    const stale = staleUploads(saved.plan, ctx.contents, ctx.inputs.artifacts);
    if (stale.length > 0) {
      throw new ConfigError(`inventory changed since plan: ${stale.length} upload(s) no longer match what it renders; nothing was changed:\n${stale.map((s) => `  ${s}`).join('\n')}`, [], REPLAN);
    }
    return await executePlanned(planned, saved.plan, opts);
  } finally {
    await planned.ctx.close();
  }
}
