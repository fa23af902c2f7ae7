import { executePlan } from '../../executor/index.js';
import type { RunResult } from '../../executor/result.js';
import type { RunEvent } from '../../model/events.js';
import type { Inventory, NodeRef } from '../../model/inventory.js';
import type { Plan } from '../../model/plan.js';
import type { RollingBatch } from '../../planner/rolling.js';
import { restorePreviousSteps, reverseSwitch, switchSteps, type NodeSwitch } from '../../planner/rolling-window.js';
import { runBatch, type BatchOutcome, type BatchWindow } from './batch.js';
import type { BalancerContext } from './balancer.js';
import type { RollingContext } from '../run/open-run.js';
import { makeSwitch } from './switches.js';

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

/** What running plans needs: connections, contents and the secrets to keep out of output. */
export type RunnerContext = Pick<RollingContext, 'transports' | 'contents'> & { readonly inventory: Pick<Inventory, 'secrets'> };

/** Runs a plan with the run's transports, contents, secrets and UI; Ctrl-C reaches it only when interruptible. */
export function planRunner(ctx: RunnerContext, opts: RolloutOptions): (plan: Plan, interruptible: boolean) => Promise<RunResult> {
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

/** Release switches as a batch window: the way back links the release each node left and starts it. */
export function switchWindow(ctx: RollingContext, switches: readonly NodeSwitch[], healthTimeoutMs?: number): BatchWindow {
  const byNode = (n: NodeRef) => switches.find((s) => s.node.host === n.host && s.node.role === n.role)!;
  return {
    nodes: switches.map((s) => s.node),
    summary: switches.map((s) => `${s.node.host} ${s.fromVersion ?? '-'} → ${s.toVersion}`).join(', '),
    steps: switchSteps(switches, { rememberPrevious: true }),
    failed: (n) => `${n.host}/${n.role}: ${byNode(n).toVersion} failed its health gate; rolling back to ${byNode(n).fromVersion ?? 'nothing (no earlier release)'}`,
    revert: async (failed) => {
      const reversals = failed.map((n) => reverseOf(ctx, byNode(n), healthTimeoutMs)).filter((s): s is NodeSwitch => s !== null);
      return { steps: [...switchSteps(reversals, { rememberPrevious: false }), ...restorePreviousSteps(reversals)], nodes: reversals.map((s) => s.node) };
    },
  };
}

/** Batch after batch of release switches (upgrade, rollback): `switchesFor` builds them on fresh facts. */
export function rollOut(ctx: RollingContext, meta: { inventory: string; apimVersion: string }, batches: readonly RollingBatch[],
  switchesFor: (b: RollingBatch) => Promise<readonly NodeSwitch[]>, opts: RolloutOptions): Promise<Rollout> {
  return rollWindows(ctx, meta, batches, async (b) => switchWindow(ctx, await switchesFor(b), opts.healthTimeoutMs), opts);
}

/**
 * Batch after batch: `windowFor` reads fresh facts and builds the batch's window just before it runs. Stops
 * at Ctrl-C (between batches), or when more nodes than maxFail failed their gate.
 */
export async function rollWindows(ctx: BalancerContext & RunnerContext, meta: { inventory: string; apimVersion: string }, batches: readonly RollingBatch[],
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
