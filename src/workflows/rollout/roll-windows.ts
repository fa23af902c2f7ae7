import type { RunEvent } from '../../model/events.js';
import type { RollingBatch } from '../../planner/rolling.js';
import { planRunner, type ExecuteOptions } from '../run/execute.js';
import type { BalancerContext } from './balancer.js';
import { runBatch, type BatchOutcome, type BatchWindow } from './batch.js';

export interface RolloutOptions extends ExecuteOptions {
  readonly onNotice?: (text: string) => void;
  /** Nodes that may fail their gate (and be rolled back) before the rollout stops; default 0. */
  readonly maxFail?: number;
  readonly healthTimeoutMs?: number;
}

export interface Rollout {
  readonly batches: readonly BatchOutcome[];
  readonly interrupted: boolean;
  /** Why the rollout stopped before the last batch, if it did. */
  readonly stoppedBecause: string | null;
}

/** The batch as the UI hears it again, after its steps' status changed (a node rolled back). */
const restatedEvent = (batch: RollingBatch, r: BatchOutcome['results'][number]): RunEvent => ({
  type: 'step-end', at: performance.now(), wave: r.wave, host: r.host, stepId: r.stepId, kind: r.kind,
  description: `${r.stepId} (${batch.label})`, status: r.status, reason: r.reason, durationMs: 0, warnings: [],
});

/**
 * Batch after batch (upgrade, rollback, provision --rolling): `windowFor` reads fresh facts and builds the batch's
 * window just before it runs. Stops at Ctrl-C (between batches), or when more nodes than maxFail failed their gate.
 */
export async function rollWindows(ctx: BalancerContext, meta: { inventory: string; apimVersion: string }, batches: readonly RollingBatch[],
  windowFor: (b: RollingBatch) => Promise<BatchWindow>, opts: RolloutOptions): Promise<Rollout> {
  const notice = opts.onNotice ?? (() => {});
  const execute = planRunner(ctx, opts);
  const outcomes: BatchOutcome[] = [];
  let failures = 0;
  for (const batch of batches) {
    if (opts.signal?.aborted) return { batches: outcomes, interrupted: true, stoppedBecause: `interrupted before ${batch.label}` };
    const window = await windowFor(batch);
    if (window.nodes.length === 0) continue;
    notice(`== ${batch.label}: ${window.summary}`);
    const outcome = await runBatch(ctx, batch, window, {
      meta: { ...meta, now: new Date().toISOString() }, execute, notice, now: () => performance.now(),
      restated: (results) => {
        for (const r of results) opts.onEvent?.(restatedEvent(batch, r));
      },
    });
    outcomes.push(outcome);
    if (outcome.untouched.length > 0) {
      return { batches: outcomes, interrupted: opts.signal?.aborted === true, stoppedBecause: `${batch.label}: could not take its nodes out of the load balancer` };
    }
    if (outcome.unreachable.length > 0) {
      const who = outcome.unreachable.map((n) => n.host).join(', ');
      return { batches: outcomes, interrupted: false, stoppedBecause: `${who} became unreachable during ${batch.label}; the other nodes serve. When ${who} answers again, run the same command: it finishes or reverts ${who} first` };
    }
    failures += outcome.rolledBack.length + outcome.broken.length;
    if (failures > (opts.maxFail ?? 0)) {
      return { batches: outcomes, interrupted: false, stoppedBecause: `${failures} node(s) failed their health gate (--max-fail ${opts.maxFail ?? 0}); the other nodes were left as they are` };
    }
  }
  return { batches: outcomes, interrupted: opts.signal?.aborted === true, stoppedBecause: null };
}

/** A recovery (recoverLeftovers) and the rollout after it, as one rollout for the recap and the exit code. */
export function afterRecovery(recovered: Rollout | null, rollout: Rollout | null): Rollout | null {
  if (!recovered) return rollout;
  if (!rollout) return recovered;
  return { batches: [...recovered.batches, ...rollout.batches], interrupted: rollout.interrupted, stoppedBecause: rollout.stoppedBecause };
}

/** A recovery that did not finish: the rollout must not go on. */
export const recoveryStopped = (r: Rollout | null): boolean => r !== null && (r.stoppedBecause !== null || r.interrupted);
