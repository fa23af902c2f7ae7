import type { Clock } from '../model/clock.js';
import { redact, type Secret } from '../model/secret.js';
import type { Step } from '../model/plan.js';
import { stepKindOf, type StepContext } from '../steps/index.js';
import { DriftError } from '../errors.js';
import { errorDetail, isUnreachable } from './error-detail.js';
import type { StepResult } from './result.js';

export interface RunStepInput {
  readonly step: Step;
  readonly wave: number;
  readonly ctx: StepContext;
  readonly clock: Clock;
  readonly secrets: readonly Secret[];
}

/** Runs one step: precondition re-check for mutating kinds, then apply. Never throws: failures become results. */
export async function runStep({ step, wave, ctx, clock, secrets }: RunStepInput): Promise<StepResult> {
  const kind = stepKindOf(step);
  const startedAt = clock.now();
  const base = { stepId: step.id, host: step.host, kind: step.kind, wave, startedAt };
  try {
    if (kind.mutates && kind.precondition) {
      const drift = await kind.precondition(step, ctx.transport);
      if (drift !== null) throw new DriftError(step.host, drift);
    }
    const outcome = await kind.apply(step, ctx);
    return {
      ...base,
      status: outcome.status,
      reason: redact(outcome.reason, secrets),
      durationMs: clock.now() - startedAt,
      warnings: (outcome.warnings ?? []).map((w) => redact(w, secrets)),
    };
  } catch (err) {
    const error = errorDetail(err, secrets);
    const interrupted = ctx.signal?.aborted === true;
    const message = interrupted ? `interrupted: ${error.message}` : error.message;
    return {
      ...base,
      status: 'failed',
      reason: message,
      durationMs: clock.now() - startedAt,
      warnings: [],
      error,
      thrown: err,
      rootCause: { stepId: step.id, message },
      unreachable: isUnreachable(err),
    };
  }
}

