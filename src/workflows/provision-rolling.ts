import { UsageError } from '../errors.js';
import type { RunResult } from '../executor/result.js';
import { nodeKey } from '../planner/build-plan.js';
import { parseBatchSpec } from '../planner/rolling.js';
import { nodesToRoll, releaseChanges, withoutNodes } from '../planner/rolling-restart.js';
import type { ProvisionOptions, ProvisionResult } from './provision.js';
import { planRunner, runExitCode } from './run/execute.js';
import { auditedRun, lockOptions } from './run/locked-run.js';
import { openPlannedRun } from './run/planned-run.js';
import { rollingOrder } from './rollout/order.js';
import { nodeOutcome, rolloutExitCode, type NodeVersions } from './rollout/report.js';
import { restartWindow } from './rollout/restart-window.js';
import { afterRecovery, recoveryStopped, rollWindows, type Rollout, type RolloutOptions } from './rollout/roll-windows.js';
import { recoverLeftovers } from './rollout/recover.js';

export interface RollingProvisionOptions extends ProvisionOptions, RolloutOptions {
  /** `1`, `N` or `25%` per role (default 1). */
  readonly batch?: string;
}

export interface RollingProvisionResult extends ProvisionResult {
  /** The batches of restarts, or null when the first part failed or no running node needed one. */
  readonly rollout: Rollout | null;
  /** Every node that needed a restart and what became of it (`restarted`, `rolled back`, `broken`, `unchanged`). */
  readonly nodes: readonly NodeVersions[];
}

/**
 * `apim-deploy provision --rolling`: the same plan as provision, but running WSO2 nodes that need a restart
 * restart batch by batch, each drained from the load balancers first; the rest of the plan runs before them.
 * A node that fails its health gate gets the files it had back, restarts on them and rejoins; the rollout stops.
 * Every host is connected, so balancers outside `--limit` drain the nodes inside it.
 */
export async function provisionRolling(opts: RollingProvisionOptions): Promise<RollingProvisionResult> {
  const batch = parseBatchSpec(opts.batch ?? '1');
  const { ctx, plan, desired } = await openPlannedRun(opts, 'every');
  try {
    const roll = nodesToRoll(plan, desired);
    const moving = releaseChanges(plan, roll);
    if (moving.length > 0) {
      throw new UsageError(`${moving.map((n) => nodeKey(n.node)).join(', ')}: the release changes to ${moving[0]!.release!.id}; --rolling restarts nodes for config changes only`,
        `roll a release change with: apim-deploy upgrade -i ${opts.inventory}`);
    }
    const first = withoutNodes(plan, roll.map((n) => n.node));
    const steps = first.waves.reduce((n, w) => n + w.steps.length, 0);
    const summary = `provision --rolling: ${steps} step(s) in ${first.waves.length} wave(s), then ${roll.length} node(s) restarted in batches`;
    return await auditedRun(ctx, { command: 'provision --rolling', notice: opts.onNotice ?? (() => {}), ...lockOptions(opts) }, summary, async () => {
      const recovered = await recoverLeftovers(ctx, opts);
      if (recoveryStopped(recovered)) {
        opts.onNotice?.(`stopped: ${recovered!.stoppedBecause ?? 'interrupted'}`);
        return { run: mergeRuns({ ok: true, aborted: false, durationMs: 0, steps: [], recap: [] }, recovered!), exitCode: rolloutExitCode(recovered!), rollout: recovered, nodes: [] };
      }
      const run = await planRunner(ctx, opts)(first, true);
      const outcomes = (rollout: Rollout | null) => roll.map((n): NodeVersions => ({ node: n.node, before: null, after: null, outcome: nodeOutcome(n.node, rollout, null, null) }));
      if (!run.ok) return { run, exitCode: run.aborted ? 130 : runExitCode(run), rollout: null, nodes: outcomes(null) };
      if (roll.length === 0) return { run, exitCode: 0, rollout: null, nodes: [] };

      const batches = rollingOrder(ctx.inventory, roll, desired.flatMap((d) => d.nodes), batch);
      const rollout = afterRecovery(recovered, await rollWindows(ctx, { inventory: ctx.inventory.file, apimVersion: plan.apimVersion }, batches,
        (b) => restartWindow(ctx, roll.filter((n) => b.nodes.some((x) => nodeKey(x) === nodeKey(n.node))), opts.healthTimeoutMs), opts))!;
      if (rollout.stoppedBecause) opts.onNotice?.(`stopped: ${rollout.stoppedBecause}`);
      return { run: mergeRuns(run, rollout), exitCode: rolloutExitCode(rollout), rollout, nodes: outcomes(rollout) };
    });
  } finally {
    await ctx.close();
  }
}

/** One result for the whole run: the first part's steps, then every batch's. */
function mergeRuns(first: RunResult, rollout: Rollout): RunResult {
  const steps = [...first.steps, ...rollout.batches.flatMap((b) => b.results)];
  const failed = steps.some((s) => s.status === 'failed' || s.status === 'blocked');
  return { ...first, ok: first.ok && !failed && rollout.stoppedBecause === null && !rollout.interrupted, aborted: rollout.interrupted, steps };
}
