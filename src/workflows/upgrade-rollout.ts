import { executePlan } from '../executor/index.js';
import type { RunResult } from '../executor/result.js';
import type { RunEvent } from '../model/events.js';
import type { Plan } from '../model/plan.js';
import type { RollingBatch } from '../planner/rolling.js';
import { reverseSwitch, type NodeSwitch } from '../planner/rolling-window.js';
import { runBatch, type BatchOutcome } from './upgrade-batch.js';
import type { RollingContext } from './upgrade-context.js';
import { makeSwitch } from './upgrade-switches.js';

export interface RolloutOptions {
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: RunEvent) => void;
  readonly onNotice?: (text: string) => void;
  readonly concurrency?: number;
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

/** Runs a plan with the run's transports, contents, secrets and UI; Ctrl-C reaches it only when interruptible. */
export function planRunner(ctx: RollingContext, opts: RolloutOptions): (plan: Plan, interruptible: boolean) => Promise<RunResult> {
  return (plan, interruptible) => executePlan(plan, {
    transports: ctx.transports, contents: ctx.contents, secrets: ctx.inventory.secrets,
    ...(interruptible && opts.signal ? { signal: opts.signal } : {}),
    ...(opts.concurrency ? { concurrency: opts.concurrency } : {}),
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
  });
}

/** The way back for a switch whose gate failed: the started release's own stop, the left release's start and gate. */
export function reverseOf(ctx: RollingContext, s: NodeSwitch, healthTimeoutMs?: number): NodeSwitch | null {
  if (!s.from || !s.fromVersion) return null;
  const started = ctx.runtimeAt(s.toVersion, s.node);
  const old = ctx.runtimeAt(s.fromVersion, s.node);
  if (!started || !old) return null;
  const back = makeSwitch({ node: s.node, link: s.link, releases: { current: s.to, previous: null, releases: [] }, to: s.from,
    stopRuntime: old, startRuntime: old, running: false, ...(healthTimeoutMs ? { healthTimeoutMs } : {}) });
  return reverseSwitch(s, { argv: started.stop, env: started.env, graceMs: 60_000, ...(started.pidFile ? { pidFile: started.pidFile } : {}) }, back);
}

/**
 * Batch after batch: `switchesFor` reads fresh facts and builds the batch's switches just before it runs. Stops
 * at Ctrl-C (between batches), or when more nodes than maxFail failed their gate.
 */
export async function rollOut(ctx: RollingContext, meta: { inventory: string; apimVersion: string }, batches: readonly RollingBatch[],
  switchesFor: (b: RollingBatch) => Promise<readonly NodeSwitch[]>, opts: RolloutOptions): Promise<Rollout> {
  const notice = opts.onNotice ?? (() => {});
  const execute = planRunner(ctx, opts);
  const outcomes: BatchOutcome[] = [];
  let failures = 0;
  for (const batch of batches) {
    if (opts.signal?.aborted) return { batches: outcomes, interrupted: true, stoppedBecause: `interrupted before ${batch.label}` };
    const switches = await switchesFor(batch);
    if (switches.length === 0) continue;
    notice(`== ${batch.label}: ${switches.map((s) => `${s.node.host} ${s.fromVersion ?? '-'} → ${s.toVersion}`).join(', ')}`);
    const outcome = await runBatch(ctx, batch, switches, {
      meta: { ...meta, now: new Date().toISOString() }, execute, notice, now: () => performance.now(),
      reverse: (s) => reverseOf(ctx, s, opts.healthTimeoutMs),
      restated: (results) => {
        for (const r of results) {
          opts.onEvent?.({ type: 'step-end', at: performance.now(), wave: r.wave, host: r.host, stepId: r.stepId, kind: r.kind,
            description: `${r.stepId} (${batch.label})`, status: r.status, reason: r.reason, durationMs: 0, warnings: [] });
        }
      },
    });
    outcomes.push(outcome);
    if (outcome.untouched.length > 0) {
      return { batches: outcomes, interrupted: opts.signal?.aborted === true, stoppedBecause: `${batch.label}: could not take its nodes out of the load balancer` };
    }
    failures += outcome.rolledBack.length + outcome.broken.length;
    if (failures > (opts.maxFail ?? 0)) {
      return { batches: outcomes, interrupted: false, stoppedBecause: `${failures} node(s) failed their health gate (--max-fail ${opts.maxFail ?? 0}); the other nodes were left as they are` };
    }
  }
  return { batches: outcomes, interrupted: opts.signal?.aborted === true, stoppedBecause: null };
}
