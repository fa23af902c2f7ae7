import { appendAudit, auditRecord } from '../lock/index.js';
import type { NodeRef, RoleName } from '../model/inventory.js';
import { parseBatchSpec } from '../planner/rolling.js';
import { runExitCode } from './provision.js';
import { releaseVersion } from './rollout/releases.js';
import { openRollingContext } from './run/open-run.js';
import { loadUpgradeInventory } from './run/inventory-at-version.js';
import { lockedRun } from './run/locked-run.js';
import { batchSwitches, stagePlan, upgradeBatches, upgradeScope } from './upgrade/upgrade-plan.js';
import { nodeOutcome, rolloutExitCode, type NodeVersions } from './rollout/report.js';
import { planRunner, rollOut, type Rollout, type RolloutOptions } from './rollout/roll-windows.js';
import { readNodeReleases, releasesKey } from './rollout/switches.js';

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
      const scope = await upgradeScope(ctx, { inventoryArg: opts.inventory, ...(opts.roles ? { roles: opts.roles } : {}), ...(opts.limit ? { limit: opts.limit } : {}) });
      const { targets, before } = scope;
      const wso2 = scope.nodes;
      const summary = `${command}: ${targets.length} of ${wso2.length} node(s) to ${version}`;
      await appendAudit(ctx.transports.values(), inventory.file, auditRecord({ command, inventory: inventory.file, plan: summary, outcome: 'started' })).then((w) => w.forEach(notice));

      let rollout: Rollout | null = null;
      let exitCode = 0;
      if (targets.length === 0) {
        notice(`every node already runs ${version}`);
      } else {
        const staging = stagePlan(ctx, scope);
        notice(`== stage ${version} on ${targets.length} node(s); nothing stops`);
        const stageRun = staging.waves.length > 0 ? await planRunner(ctx, opts)(staging, true) : null;
        if (stageRun && !stageRun.ok) {
          exitCode = stageRun.aborted ? 130 : runExitCode(stageRun);
        } else {
          rollout = await rollOut(ctx, { inventory: inventory.file, apimVersion: version }, upgradeBatches(inventory, scope, batch),
            (b) => batchSwitches(ctx, scope, b, opts.healthTimeoutMs), opts);
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
