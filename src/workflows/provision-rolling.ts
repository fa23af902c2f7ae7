import { UsageError } from '../errors.js';
import type { RunResult } from '../executor/result.js';
import type { NodeRef } from '../model/inventory.js';
import type { Step, StepOf } from '../model/plan.js';
import type { DesiredNode } from '../planner/desired-state.js';
import { nodeSteps } from '../planner/node-steps.js';
import { parseBatchSpec } from '../planner/rolling.js';
import { nodesToRoll, releaseChanges, revertedNode, withoutNodes } from '../planner/rolling-restart.js';
import { gatherState } from './run/read-state.js';
import { prepareDeployment, type Prepared } from './run/planned-run.js';
import { runExitCode, type ProvisionOptions, type ProvisionResult } from './provision.js';
import { currentContents } from './run/current-contents.js';
import type { BatchWindow } from './rollout/batch.js';
import { rollingOrder } from './upgrade/upgrade-plan.js';
import { auditedRun } from './run/locked-run.js';
import { nodeOutcome, rolloutExitCode, type NodeVersions } from './rollout/report.js';
import { planRunner, rollWindows, type Rollout, type RolloutOptions } from './rollout/roll-windows.js';

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

const key = (n: NodeRef): string => `${n.host}/${n.role}`;

/**
 * `apim-deploy provision --rolling`: the same plan as provision, but running WSO2 nodes that need a restart
 * restart batch by batch, each drained from the load balancers first; the rest of the plan runs before them.
 * A node that fails its health gate gets the files it had back, restarts on them and rejoins; the rollout stops.
 */
export async function provisionRolling(opts: RollingProvisionOptions): Promise<RollingProvisionResult> {
  const batch = parseBatchSpec(opts.batch ?? '1');
  const prepared = await prepareDeployment(opts);
  try {
    const roll = nodesToRoll(prepared.plan, prepared.desired);
    const moving = releaseChanges(prepared.plan, roll);
    if (moving.length > 0) {
      throw new UsageError(`${moving.map((n) => key(n.node)).join(', ')}: the release changes to ${moving[0]!.release!.id}; --rolling restarts nodes for config changes only`,
        `roll a release change with: apim-deploy upgrade -i ${opts.inventory}`);
    }
    const first = withoutNodes(prepared.plan, roll.map((n) => n.node));
    const steps = first.waves.reduce((n, w) => n + w.steps.length, 0);
    const summary = `provision --rolling: ${steps} step(s) in ${first.waves.length} wave(s), then ${roll.length} node(s) restarted in batches`;
    return await auditedRun({ inventory: prepared.inventory, transports: prepared.connections.transports, command: 'provision --rolling', notice: opts.onNotice ?? (() => {}),
      ...(opts.lockWaitMs !== undefined ? { lockWaitMs: opts.lockWaitMs } : {}), ...(opts.signal ? { signal: opts.signal } : {}) }, summary, async () => {
      const ctx = { inventory: prepared.inventory, catalog: prepared.catalog, contents: prepared.contents, transports: prepared.connections.transports };
      const run = await planRunner(ctx, opts)(first, true);
      const outcomes = (rollout: Rollout | null) => roll.map((n): NodeVersions => ({ node: n.node, before: null, after: null, outcome: nodeOutcome(n.node, rollout, null, null) }));
      if (!run.ok) return { run, exitCode: run.aborted ? 130 : runExitCode(run), rollout: null, nodes: outcomes(null) };
      if (roll.length === 0) return { run, exitCode: 0, rollout: null, nodes: [] };

      const batches = rollingOrder(prepared.inventory, roll, prepared.desired.flatMap((d) => d.nodes), batch);
      const rollout = await rollWindows(ctx, { inventory: prepared.inventory.file, apimVersion: prepared.plan.apimVersion }, batches,
        (b) => restartWindow(prepared, roll.filter((n) => b.nodes.some((x) => key(x) === key(n.node))), opts.healthTimeoutMs), opts);
      if (rollout.stoppedBecause) opts.onNotice?.(`stopped: ${rollout.stoppedBecause}`);
      return { run: mergeRuns(run, rollout), exitCode: rolloutExitCode(rollout), rollout, nodes: outcomes(rollout) };
    });
  } finally {
    await prepared.connections.close();
  }
}

/**
 * A batch's window, built on fresh facts: each node's own provision steps (upload, stop, start, gate). The files
 * they replace are read first, so a node that fails its gate can get them back.
 */
async function restartWindow(prepared: Prepared, nodes: readonly DesiredNode[], healthTimeoutMs?: number): Promise<BatchWindow> {
  const transports = prepared.connections.transports;
  const hostsOf = (ns: readonly DesiredNode[]) => prepared.desired.filter((d) => ns.some((n) => n.node.host === d.host.name));
  const stepsFor = async (ns: readonly DesiredNode[]): Promise<Step[]> => {
    const state = await gatherState(hostsOf(ns), transports);
    return ns.flatMap((n) => nodeSteps(n, state.get(n.node.host)!, [], healthTimeoutMs ? { healthTimeoutMs } : {}).steps);
  };
  const all = await stepsFor(nodes);
  const changing = nodes.filter((n) => all.some((s) => s.host === n.node.host && s.kind !== 'wait-healthy'));
  const steps = all.filter((s) => changing.some((n) => n.node.host === s.host));
  const uploads = steps.filter((s): s is StepOf<'upload-file'> => s.kind === 'upload-file' && s.expectSha256 !== null);
  const before = await currentContents({ steps: uploads, transports, rendered: prepared.rendered, artifacts: prepared.artifacts });
  for (const c of before.values()) prepared.contents.set(c.sha256, c);
  const restorable = (n: NodeRef) => new Map(uploads.filter((u) => u.host === n.host && before.has(u.expectSha256!)).map((u) => [u.path, u.expectSha256!]));
  const why = (n: DesiredNode) => steps.find((s) => s.host === n.node.host && s.kind === 'stop-component')?.reason ?? 'restart';
  return {
    nodes: changing.map((n) => n.node),
    summary: changing.map((n) => `${n.node.host} (${why(n)})`).join(', '),
    steps,
    failed: (n) => `${key(n)}: failed its health gate with the new config; restarting it on the ${restorable(n).size} file(s) it had`,
    revert: async (failed) => {
      const back = changing.filter((n) => failed.some((f) => key(f) === key(n.node))).map((n) => revertedNode(n, restorable(n.node)));
      return { steps: await stepsFor(back), nodes: back.map((n) => n.node) };
    },
  };
}

/** One result for the whole run: the first part's steps, then every batch's. */
function mergeRuns(first: RunResult, rollout: Rollout): RunResult {
  const steps = [...first.steps, ...rollout.batches.flatMap((b) => b.results)];
  const failed = steps.some((s) => s.status === 'failed' || s.status === 'blocked');
  return { ...first, ok: first.ok && !failed && rollout.stoppedBecause === null && !rollout.interrupted, aborted: rollout.interrupted, steps };
}
