import { appendAudit, auditRecord } from '../lock/index.js';
import { loadInventory } from '../inventory/load.js';
import type { NodeRef } from '../model/inventory.js';
import { parseBatchSpec, rollingBatches } from '../planner/rolling.js';
import type { NodeSwitch } from '../planner/rolling-window.js';
import { livePid } from '../steps/remote-facts.js';
import { openRollingContext } from './run/open-run.js';
import { lockedRun } from './run/locked-run.js';
import { rollOut, type Rollout, type RolloutOptions } from './rollout/roll-windows.js';
import { nodeOutcome, rolloutExitCode, type NodeVersions } from './rollout/report.js';
import { makeSwitch, readNodeReleases, releasesKey } from './rollout/switches.js';
import { releaseVersion, rollbackTarget } from './rollout/releases.js';

export interface RollbackOptions extends RolloutOptions {
  readonly inventory: string;
  readonly envFile?: string;
  readonly batch?: string;
  readonly lockWaitMs?: number;
  readonly acceptNewHostKeys?: boolean;
}

export interface RollbackResult {
  readonly exitCode: number;
  readonly versions: readonly NodeVersions[];
  readonly rollout: Rollout;
}

const key = (n: NodeRef): string => `${n.host}/${n.role}`;

/**
 * `apim-deploy rollback`: every WSO2 node back to its previous release (the `previous` link, else the newest
 * other release dir), rolling like an upgrade but in reverse dependency order: gateways first, control planes last.
 */
export async function rollback(opts: RollbackOptions): Promise<RollbackResult> {
  const inventory = await loadInventory(opts.inventory, opts.envFile ? { envFile: opts.envFile } : {});
  const ctx = await openRollingContext(inventory, { withArtifacts: false, ...(opts.acceptNewHostKeys !== undefined ? { acceptNewHostKeys: opts.acceptNewHostKeys } : {}) });
  const notice = opts.onNotice ?? (() => {});
  try {
    return await lockedRun({ inventory, transports: ctx.transports, command: 'rollback', notice,
      ...(opts.lockWaitMs !== undefined ? { lockWaitMs: opts.lockWaitMs } : {}), ...(opts.signal ? { signal: opts.signal } : {}) }, async () => {
      const wso2 = ctx.rendered.filter((r) => r.runtime.kind === 'wso2' && r.runtime.home !== null);
      const linkOf = (n: NodeRef) => wso2.find((r) => key(r.node) === key(n))!.runtime.home!;
      const read = () => readNodeReleases(ctx.transports, wso2.map((r) => ({ node: r.node, link: r.runtime.home! })));
      const before = await read();
      const targets = wso2.filter((r) => {
        const rr = before.get(releasesKey(r.node, r.runtime.home!));
        if (rr?.current && rollbackTarget(rr)) return true;
        notice(`${key(r.node)}: no other release to go back to; left as it is`);
        return false;
      });
      const summary = `rollback: ${targets.length} node(s) to their previous release`;
      await appendAudit(ctx.transports.values(), inventory.file, auditRecord({ command: 'rollback', inventory: inventory.file, plan: summary, outcome: 'started' }));

      const batches = rollingBatches(targets.map((r) => ({ node: r.node, datacenter: r.context.datacenter, runtime: r.runtime })), {
        batch: parseBatchSpec(opts.batch ?? '1'), datacenters: inventory.datacenters.map((d) => d.name), reverse: true,
      });
      const rollout = await rollOut(ctx, { inventory: inventory.file, apimVersion: inventory.apim.version }, batches, async (b) => {
        const fresh = await readNodeReleases(ctx.transports, b.nodes.map((node) => ({ node, link: linkOf(node) })));
        const switches: NodeSwitch[] = [];
        for (const node of b.nodes) {
          const rr = fresh.get(releasesKey(node, linkOf(node)));
          const to = rr ? rollbackTarget(rr) : null;
          const fromV = releaseVersion(rr?.current ?? null);
          const toV = releaseVersion(to);
          const stopRuntime = fromV ? ctx.runtimeAt(fromV, node) : undefined;
          const startRuntime = toV ? ctx.runtimeAt(toV, node) : undefined;
          if (!rr || !to || !stopRuntime || !startRuntime) {
            notice(`${key(node)}: cannot tell which release to go back to; left as it is`);
            continue;
          }
          const running = stopRuntime.pidFile ? (await livePid(ctx.transports.get(node.host)!, stopRuntime.pidFile)) !== null : false;
          switches.push(makeSwitch({ node, link: linkOf(node), releases: rr, to, stopRuntime, startRuntime, running,
            ...(opts.healthTimeoutMs ? { healthTimeoutMs: opts.healthTimeoutMs } : {}) }));
        }
        return switches;
      }, opts);
      if (rollout.stoppedBecause) notice(`stopped: ${rollout.stoppedBecause}`);
      const after = await read();
      const versions = wso2.map((r): NodeVersions => {
        const b = releaseVersion(before.get(releasesKey(r.node, r.runtime.home!))?.current ?? null);
        const a = releaseVersion(after.get(releasesKey(r.node, r.runtime.home!))?.current ?? null);
        return { node: r.node, before: b, after: a, outcome: nodeOutcome(r.node, rollout, b, a) };
      });
      const exitCode = rolloutExitCode(rollout);
      await appendAudit(ctx.transports.values(), inventory.file, auditRecord({ command: 'rollback', inventory: inventory.file, plan: summary,
        outcome: exitCode === 0 ? 'ok' : exitCode === 130 ? 'interrupted' : 'failed', detail: versions.map((v) => `${key(v.node)} ${v.before ?? '-'}→${v.after ?? '-'}`).join(', ') }));
      return { exitCode, versions, rollout };
    });
  } finally {
    await ctx.connections.close();
  }
}
