import { ConfigError, RemoteError, UsageError } from '../errors.js';
import { executePlanned, type ProvisionOptions, type ProvisionResult } from './provision.js';
import { openPlannedRun } from './run/planned-run.js';
import { sealPlan, secretFiles } from '../planner/seal-plan.js';
import { planKeyFile } from '../secrets/plan-key.js';
import { planDifferences } from './saved-plan/compare.js';
import { driftDetails, driftedHosts } from './saved-plan/drift.js';
import { readSavedPlan } from './saved-plan/plan-file.js';

export interface ApplyPlanOptions extends ProvisionOptions {
  /** A file written by `plan --out` (or `plan --json`). */
  readonly planFile: string;
}

const REPLAN = 'make a new plan and review it: apim-deploy plan -i INV --out FILE';

/**
 * `provision --plan FILE`: runs exactly the saved plan. A plan file is input, so it is never executed as written:
 * the plan is made again from the inventory and fresh facts, sealed under the inventory's plan key as the file was,
 * and must equal the file step for step (and host facts for host facts); then the plan made now runs. Refuses,
 * with nothing touched, a plan of another key, a host that changed, and any step that differs (a tampered argv, an
 * inventory, secret or distribution changed since).
 */
export async function applySavedPlan(opts: ApplyPlanOptions): Promise<ProvisionResult> {
  const saved = readSavedPlan(opts.planFile);
  if (opts.limit !== undefined && opts.limit !== saved.limit) {
    throw new UsageError(`--limit ${opts.limit} differs from the plan's (${saved.limit ?? 'none'})`, 'a saved plan runs with the limit it was made with: drop --limit');
  }
  const { limit: _ignored, ...rest } = opts;
  // Made with --no-peer-copy or not: a plan holding no peer copy matches only one planned without.
  const peerCopy = saved.plan.waves.some((w) => w.steps.some((s) => s.kind === 'peer-fetch'));
  const planned = await openPlannedRun({ ...rest, peerCopy, ...(saved.limit !== null ? { limit: saved.limit } : {}) });
  try {
    const { ctx, plan } = planned;
    if (ctx.inventory.file !== saved.plan.inventory) {
      throw new UsageError(`${opts.planFile} was made from ${saved.plan.inventory}, not ${ctx.inventory.file}`, 'pass the same inventory with -i');
    }
    const seal = ctx.inputs.seal;
    if (saved.plan.sealedWith !== seal.keyId) {
      throw new UsageError(`${opts.planFile} was made with another plan key (${String(saved.plan.sealedWith)}, this inventory's is ${seal.keyId})`,
        `it was made from another copy of the inventory or before ${planKeyFile(ctx.inventory.file)} was replaced: ${REPLAN}`);
    }
    // The plan made now, sealed as the file was: the file is only ever compared, never executed as written.
    const now = sealPlan(plan, ctx.contents, secretFiles(planned.desired), seal).plan;
    const drifted = driftedHosts(saved.plan, now);
    if (drifted.length > 0) {
      throw new RemoteError(drifted.join(', '), `${drifted.length} host(s) changed since the plan was made (${saved.plan.createdAt}); nothing was changed`,
        driftDetails(saved.plan, now, drifted).map((l) => `  ${l}`).join('\n'), REPLAN);
    }
    const differences = planDifferences(saved.plan, now);
    if (differences.length > 0) {
      throw new ConfigError(`${opts.planFile} is not what the inventory plans now (edited, or the inventory, its secrets or a distribution changed); nothing was changed:\n${differences.map((d) => `  ${d}`).join('\n')}`, [], REPLAN);
    }
    return await executePlanned(planned, plan, opts);
  } finally {
    await planned.ctx.close();
  }
}
