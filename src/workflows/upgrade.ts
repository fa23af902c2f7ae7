import { appendAudit, auditRecord } from '../lock/index.js';
import type { NodeRef, RoleName } from '../model/inventory.js';
import { PLAN_FORMAT, type Plan } from '../model/plan.js';
import { parseBatchSpec, rollingBatches } from '../planner/rolling.js';
import { stageSteps } from '../planner/rolling-stage.js';
import { runExitCode } from './provision.js';
import { limitHosts } from './limit.js';
import { lockedRun } from './upgrade-lock.js';
import { openRollingContext, readState } from './upgrade-context.js';
import { loadUpgradeInventory } from './upgrade-inventory.js';
import { planRunner, rollOut, type Rollout, type RolloutOptions } from './upgrade-rollout.js';
import { nodeOutcome, rolloutExitCode, type NodeVersions } from './upgrade-report.js';
import { readNodeReleases, releasesKey, upgradeSwitch } from './upgrade-switches.js';
import { releaseVersion } from './rollback-releases.js';
import { UsageError } from '../errors.js';

export interface UpgradeOptions extends RolloutOptions {
  readonly inventory: string;
  readonly envFile?: string;
  /** Target version for this run (default: the inventory's apim.version). */
  readonly to?: string;
  /** `1`, `N` or `25%` per role (default 1). */
  readonly batch?: string;
  readonly roles?: readonly RoleName[];
  readonly limit?: string;
  /** Seconds to wait for another run's deploy lock (default 0: refuse at once). */
  readonly lockWaitMs?: number;
  readonly acceptNewHostKeys?: boolean;
}

export interface UpgradeResult {
  readonly exitCode: number;
  readonly targetVersion: string;
  readonly versions: readonly NodeVersions[];
  readonly rollout: Rollout | null;
}

const key = (n: NodeRef): string => `${n.host}/${n.role}`;

/**
 * `apim-deploy upgrade`: stage the new release on every node that needs it (nothing stops), then roll node by
 * node in dependency order: drain, stop, switch, start, gate, rejoin; roll a node back when its gate fails.
 */
export async function upgrade(opts: UpgradeOptions): Promise<UpgradeResult> {
  const batch = parseBatchSpec(opts.batch ?? '1');
  const inventory = await loadUpgradeInventory(opts.inventory, { ...(opts.envFile ? { envFile: opts.envFile } : {}), ...(opts.to ? { to: opts.to } : {}) });
  const version = inventory.apim.version;
  const ctx = await openRollingContext(inventory, { withArtifacts: true, ...(opts.acceptNewHostKeys !== undefined ? { acceptNewHostKeys: opts.acceptNewHostKeys } : {}) });
  const notice = opts.onNotice ?? (() => {});
  const command = `upgrade${opts.to ? ` --to ${opts.to}` : ''}`;
  try {
    return await lockedRun({ inventory, transports: ctx.transports, command, notice,
      ...(opts.lockWaitMs !== undefined ? { lockWaitMs: opts.lockWaitMs } : {}), ...(opts.signal ? { signal: opts.signal } : {}) }, async () => {
      const inScope = opts.limit ? limitHosts(inventory.hosts, opts.limit) : null;
      const wso2 = ctx.desired.flatMap((d) => d.nodes).filter((n) => n.release !== null &&
        (!opts.roles || opts.roles.includes(n.node.role)) && (!inScope || inScope.has(n.node.host)));
      const hosts = ctx.desired.filter((d) => wso2.some((n) => n.node.host === d.host.name));
      const state = await readState(ctx, hosts, { preflight: true });
      const releases = await readNodeReleases(ctx.transports, wso2.map((n) => ({ node: n.node, link: n.release!.link })));
      const releasesOf = (n: (typeof wso2)[number]) => releases.get(releasesKey(n.node, n.release!.link)) ?? { current: null, previous: null, releases: [] };
      const notInstalled = wso2.filter((n) => releasesOf(n).current === null);
      if (notInstalled.length > 0) {
        throw new UsageError(`${notInstalled.map((n) => key(n.node)).join(', ')}: not installed yet, nothing to upgrade from`,
          `install them first: apim-deploy provision -i ${opts.inventory}`);
      }
      const before = new Map(wso2.map((n) => [key(n.node), releaseVersion(releasesOf(n).current)]));
      const targets = wso2.filter((n) => releasesOf(n).current !== n.release!.dir);
      const summary = `${command}: ${targets.length} of ${wso2.length} node(s) to ${version}`;
      await appendAudit(ctx.transports.values(), inventory.file, auditRecord({ command, inventory: inventory.file, plan: summary, outcome: 'started' })).then((w) => w.forEach(notice));

      let rollout: Rollout | null = null;
      let exitCode = 0;
      if (targets.length === 0) {
        notice(`every node already runs ${version}`);
      } else {
        const staged = stageSteps(ctx.desired, state, targets.map((n) => n.node));
        const stagePlan: Plan = { format: PLAN_FORMAT, inventory: inventory.file, apimVersion: version, createdAt: new Date().toISOString(), factsFingerprint: {},
          waves: [{ label: 'stage: hosts', steps: staged.host }, { label: `stage: ${version} releases`, steps: staged.nodes }].filter((w) => w.steps.length > 0), unchanged: [] };
        notice(`== stage ${version} on ${targets.length} node(s); nothing stops`);
        const stageRun = stagePlan.waves.length > 0 ? await planRunner(ctx, opts)(stagePlan, true) : null;
        if (stageRun && !stageRun.ok) {
          exitCode = stageRun.aborted ? 130 : runExitCode(stageRun);
        } else {
          const batches = rollingBatches(targets.map((n) => ({ node: n.node, datacenter: hostDc(inventory, n.node.host), dependsOn: n.runtime.dependsOn })), {
            batch, datacenters: inventory.datacenters.map((d) => d.name),
            roleSize: (role, dc) => wso2.filter((n) => n.node.role === role && hostDc(inventory, n.node.host) === dc).length,
          });
          rollout = await rollOut(ctx, { inventory: inventory.file, apimVersion: version }, batches, async (b) => {
            const nodes = targets.filter((n) => b.nodes.some((x) => key(x) === key(n.node)));
            const fresh = await readState(ctx, hosts.filter((h) => nodes.some((n) => n.node.host === h.host.name)), { preflight: false });
            const rel = await readNodeReleases(ctx.transports, nodes.map((n) => ({ node: n.node, link: n.release!.link })));
            return nodes.filter((n) => rel.get(releasesKey(n.node, n.release!.link))?.current !== n.release!.dir).map((n) => {
              const r = rel.get(releasesKey(n.node, n.release!.link))!;
              const from = releaseVersion(r.current);
              return upgradeSwitch(n, fresh.get(n.node.host), r, from ? ctx.runtimeAt(from, n.node) : undefined, opts.healthTimeoutMs);
            });
          }, opts);
          if (rollout.stoppedBecause) notice(`stopped: ${rollout.stoppedBecause}`);
          exitCode = rolloutExitCode(rollout);
        }
      }
      const after = await readNodeReleases(ctx.transports, wso2.map((n) => ({ node: n.node, link: n.release!.link })));
      const versions = wso2.map((n): NodeVersions => {
        const b = before.get(key(n.node)) ?? null;
        const a = releaseVersion(after.get(releasesKey(n.node, n.release!.link))?.current ?? null);
        return { node: n.node, before: b, after: a, outcome: nodeOutcome(n.node, rollout, b, a) };
      });
      const outcome = exitCode === 0 ? 'ok' : exitCode === 130 ? 'interrupted' : rollout?.batches.some((b) => b.rolledBack.length > 0) ? 'rolled-back' : 'failed';
      const detail = versions.map((v) => `${key(v.node)} ${v.before ?? '-'}→${v.after ?? '-'}`).join(', ');
      await appendAudit(ctx.transports.values(), inventory.file, auditRecord({ command, inventory: inventory.file, plan: summary, outcome, detail })).then((w) => w.forEach(notice));
      return { exitCode, targetVersion: version, versions, rollout };
    });
  } finally {
    await ctx.connections.close();
  }
}

function hostDc(inv: { hosts: readonly { name: string; datacenter?: string }[] }, host: string): string | null {
  return inv.hosts.find((h) => h.name === host)?.datacenter ?? null;
}
