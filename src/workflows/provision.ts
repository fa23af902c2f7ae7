import { EXIT, HealthTimeoutError } from '../errors.js';
import { executePlan } from '../executor/index.js';
import type { RunEvent } from '../model/events.js';
import type { RunResult } from '../executor/result.js';
import type { Plan } from '../model/plan.js';
import { prepareDeployment, type PrepareOptions, type Prepared } from './run/planned-run.js';
import { auditedRun } from './run/locked-run.js';

export interface ProvisionOptions extends PrepareOptions {
  readonly onEvent?: (event: RunEvent) => void;
  readonly signal?: AbortSignal;
  readonly concurrency?: number;
  /** Seconds-as-ms to wait for another run's deploy lock before refusing (default 0). */
  readonly lockWaitMs?: number;
}

export interface ProvisionResult {
  readonly run: RunResult;
  readonly exitCode: number;
}

/** Plan, then execute it: the main job. */
export async function provision(opts: ProvisionOptions): Promise<ProvisionResult> {
  const prepared = await prepareDeployment(opts);
  try {
    return await executePrepared(prepared, prepared.plan, opts);
  } finally {
    await prepared.connections.close();
  }
}

/**
 * Executes a plan over a prepared run's connections and rendered contents (the fresh plan, or a saved one),
 * holding the deploy lock and writing the audit log.
 */
export async function executePrepared(prepared: Prepared, plan: Plan, opts: ProvisionOptions): Promise<ProvisionResult> {
  const steps = plan.waves.reduce((n, w) => n + w.steps.length, 0);
  return auditedRun({ inventory: prepared.inventory, transports: prepared.connections.transports, command: 'provision', notice: () => {},
    ...(opts.lockWaitMs !== undefined ? { lockWaitMs: opts.lockWaitMs } : {}), ...(opts.signal ? { signal: opts.signal } : {}) },
  `provision: ${steps} step(s) in ${plan.waves.length} wave(s), APIM ${plan.apimVersion}`, () => executeUnlocked(prepared, plan, opts));
}

async function executeUnlocked(prepared: Prepared, plan: Plan, opts: ProvisionOptions): Promise<ProvisionResult> {
  const run = await executePlan(plan, {
    transports: prepared.connections.transports,
    contents: prepared.contents,
    secrets: prepared.inventory.secrets,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
  });
  return { run, exitCode: runExitCode(run) };
}

/** 0 when everything passed; 5 when the first failure was a health timeout; 1 for any other failed run. */
export function runExitCode(run: RunResult): number {
  if (run.ok) return EXIT.ok;
  const failed = run.steps.find((s) => s.status === 'failed');
  if (failed?.thrown instanceof HealthTimeoutError) return EXIT.healthTimeout;
  return EXIT.failure;
}
