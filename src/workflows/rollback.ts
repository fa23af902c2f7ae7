import type { NodeRef } from '../model/inventory.js';
import { nodeKey } from '../planner/build-plan.js';
import { parseBatchSpec, rollingBatches } from '../planner/rolling.js';
import type { NodeSwitch } from '../planner/rolling-window.js';
import { livePid } from '../steps/remote-facts.js';
import { auditLine, auditOutcome, lockedRun, lockOptions } from './run/locked-run.js';
import { openRun, type RunContext } from './run/open-run.js';
import { readNodeReleases, releasesKey, releaseVersion, rollbackTarget } from './rollout/releases.js';
import { nodeOutcome, rolloutExitCode, versionsDetail, type NodeVersions } from './rollout/report.js';
import { afterRecovery, recoveryStopped, type Rollout, type RolloutOptions } from './rollout/roll-windows.js';
import { recoverLeftovers } from './rollout/recover.js';
import { rollSwitches } from './rollout/switch-window.js';
import { makeSwitch } from './rollout/switches.js';
import { type SecretSources } from '../secrets/sources.js';
import { refuseSwitchRecordMismatch } from './migrate/switch-record-gate.js';

export interface RollbackOptions extends RolloutOptions {
  readonly inventory: string;
  readonly envFile?: string;
  /** Encrypted dotenv key, --env-from-process names. */
  readonly secrets?: SecretSources;
  readonly batch?: string;
  /** `--limit`: only these hosts' nodes go back (every host is still connected: balancers drain them). */
  readonly limit?: string;
  readonly lockWaitMs?: number;
  readonly acceptNewHostKeys?: boolean;
}

export interface RollbackResult {
  readonly exitCode: number;
  readonly versions: readonly NodeVersions[];
  readonly rollout: Rollout;
}

/**
 * `apim-deploy rollback`: every WSO2 node back to its previous release (the `previous` link, else the newest
 * other release dir), rolling like an upgrade but in reverse dependency order: gateways first, control planes last.
 */
export async function rollback(opts: RollbackOptions): Promise<RollbackResult> {
  const ctx = await openRollbackRun(opts);
  const { inventory } = ctx;
  const notice = opts.onNotice ?? (() => {});
  try {
    // Its drains render the balancers too: refused while the switch's records disagree, as upgrade is.
    await refuseSwitchRecordMismatch(ctx, opts.inventory, 'rollback');
    return await lockedRun(ctx, { command: 'rollback', notice, ...lockOptions(opts) }, async () => {
      // First what a stopped earlier run left (drained or half-switched nodes), then the rollback itself.
      const recovered = await recoverLeftovers(ctx, opts);
      const scope = await rollbackScope(ctx, opts, notice);
      const audit = auditLine(ctx, 'rollback', `rollback: ${scope.targets.length} node(s) to their previous release`, notice);
      await audit('started');
      const rollout = recoveryStopped(recovered) ? recovered! : afterRecovery(recovered, await rollSwitches(ctx, { inventory: inventory.file, apimVersion: inventory.apim.version }, scope.batches,
        (b) => rollbackSwitches(ctx, b.nodes, notice, opts.healthTimeoutMs), opts))!;
      if (rollout.stoppedBecause) notice(`stopped: ${rollout.stoppedBecause}`);
      // A host lost during the rollout is reported, not read again.
      const after = await scope.read(true);
      const versions = scope.wso2.map((r): NodeVersions => {
        const b = releaseVersion(scope.before.get(releasesKey(r.node, r.runtime.home!))?.current ?? null);
        const a = releaseVersion(after.get(releasesKey(r.node, r.runtime.home!))?.current ?? null);
        return { node: r.node, before: b, after: a, outcome: nodeOutcome(r.node, rollout, b, a) };
      });
      const exitCode = rolloutExitCode(rollout);
      await audit(auditOutcome(exitCode), versionsDetail(versions));
      return { exitCode, versions, rollout };
    });
  } finally {
    await ctx.close();
  }
}

/** The run a rollback and its preview share: artifacts checked, every host connected (balancers drain). */
export const openRollbackRun = (opts: RollbackOptions): Promise<RunContext> =>
  openRun(opts, { artifacts: 'check', connect: 'every', unreachable: 'stop' });

/** What a rollback works on: the WSO2 nodes in `--limit`, those with a release to go back to, in rolling order. */
export async function rollbackScope(ctx: RunContext, opts: Pick<RollbackOptions, 'batch'>, notice: (text: string) => void) {
  const wso2 = ctx.rendered.filter((r) => r.runtime.kind === 'wso2' && r.runtime.home !== null);
  const read = (skipUnreachable = false) => readNodeReleases(ctx.transports, wso2.map((r) => ({ node: r.node, link: r.runtime.home! })), { skipUnreachable });
  const before = await read();
  const targets = wso2.filter((r) => {
    if (ctx.limited && !ctx.limited.has(r.host)) return false;
    const rr = before.get(releasesKey(r.node, r.runtime.home!));
    if (rr?.current && rollbackTarget(rr)) return true;
    notice(`${nodeKey(r.node)}: no other release to go back to; left as it is`);
    return false;
  });
  const batches = rollingBatches(targets.map((r) => ({ node: r.node, datacenter: r.context.datacenter, runtime: r.runtime })), {
    batch: parseBatchSpec(opts.batch ?? '1'), datacenters: ctx.inventory.datacenters.map((d) => d.name), reverse: true,
  });
  return { wso2, targets, batches, before, read };
}

/** A batch's switches back, on the releases read just before it runs; a node whose way back is unclear is left. */
export async function rollbackSwitches(ctx: RunContext, nodes: readonly NodeRef[], notice: (text: string) => void, healthTimeoutMs?: number): Promise<NodeSwitch[]> {
  const linkOf = (n: NodeRef) => ctx.rendered.find((r) => nodeKey(r.node) === nodeKey(n))!.runtime.home!;
  const fresh = await readNodeReleases(ctx.transports, nodes.map((node) => ({ node, link: linkOf(node) })));
  const switches: NodeSwitch[] = [];
  for (const node of nodes) {
    const rr = fresh.get(releasesKey(node, linkOf(node)));
    const to = rr ? rollbackTarget(rr) : null;
    const fromV = releaseVersion(rr?.current ?? null);
    const toV = releaseVersion(to);
    const stopRuntime = fromV ? ctx.runtimeAt(fromV, node) : undefined;
    const startRuntime = toV ? ctx.runtimeAt(toV, node) : undefined;
    if (!rr || !to || !stopRuntime || !startRuntime) {
      notice(`${nodeKey(node)}: cannot tell which release to go back to; left as it is`);
      continue;
    }
    const running = stopRuntime.pidFile ? (await livePid(ctx.transports.get(node.host)!, stopRuntime.pidFile)) !== null : false;
    switches.push(makeSwitch({ node, link: linkOf(node), releases: rr, to, stopRuntime, startRuntime, running, ...(healthTimeoutMs ? { healthTimeoutMs } : {}) }));
  }
  return switches;
}
