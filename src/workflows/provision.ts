import type { RunResult } from '../executor/result.js';
import type { Plan } from '../model/plan.js';
import { stepMutates } from '../steps/index.js';
import { planRunner, runExitCode, type ExecuteOptions } from './run/execute.js';
import { auditedRun, lockOptions } from './run/locked-run.js';
import { openPlannedRun, type PlanRunOptions, type PlannedRun } from './run/planned-run.js';

export interface ProvisionOptions extends Omit<PlanRunOptions, 'dryRun'>, ExecuteOptions {
  /** Seconds-as-ms to wait for another run's deploy lock before refusing (default 0). */
  readonly lockWaitMs?: number;
}

export interface ProvisionResult {
  readonly run: RunResult;
  readonly exitCode: number;
}

/** Plan, then execute it: the main job. */
export async function provision(opts: ProvisionOptions): Promise<ProvisionResult> {
  const planned = await openPlannedRun(opts);
  try {
    return await executePlanned(planned, planned.plan, opts);
  } finally {
    await planned.ctx.close();
  }
}

/**
 * Executes a plan over a planned run's connections and rendered contents (its own plan, or a saved one),
 * holding the deploy lock and writing the audit log.
 */
export async function executePlanned(planned: PlannedRun, plan: Plan, opts: ProvisionOptions): Promise<ProvisionResult> {
  const steps = plan.waves.reduce((n, w) => n + w.steps.length, 0);
  const auditHosts = new Set(plan.waves.flatMap((w) => w.steps.filter(stepMutates).map((s) => s.host)));
  return auditedRun(planned.ctx, { command: 'provision', notice: () => {}, auditHosts, ...lockOptions(opts) },
    `provision: ${steps} step(s) in ${plan.waves.length} wave(s), APIM ${plan.apimVersion}`, async () => {
      const run = await planRunner(planned.ctx, opts)(plan, true);
      return { run, exitCode: runExitCode(run) };
    });
}
