import { EXIT, HealthTimeoutError } from '../../errors.js';
import { executePlan } from '../../executor/index.js';
import type { RunResult } from '../../executor/result.js';
import type { RunEvent } from '../../model/events.js';
import type { Plan } from '../../model/plan.js';
import type { RunContext } from './open-run.js';

export interface ExecuteOptions {
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: RunEvent) => void;
  readonly concurrency?: number;
}

/** Runs plans with the run's transports, contents, secrets and UI; Ctrl-C reaches a plan only when interruptible. */
export function planRunner(ctx: Pick<RunContext, 'transports' | 'contents' | 'inventory'>, opts: ExecuteOptions): (plan: Plan, interruptible: boolean) => Promise<RunResult> {
  return (plan, interruptible) => executePlan(plan, {
    transports: ctx.transports, contents: ctx.contents, secrets: ctx.inventory.secrets,
    ...(interruptible && opts.signal ? { signal: opts.signal } : {}),
    ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
  });
}

/** 0 when everything passed; 5 when the first failure was a health timeout; 1 for any other failed run. */
export function runExitCode(run: RunResult): number {
  if (run.ok) return EXIT.ok;
  const failed = run.steps.find((s) => s.status === 'failed');
  if (failed?.thrown instanceof HealthTimeoutError) return EXIT.healthTimeout;
  return EXIT.failure;
}
