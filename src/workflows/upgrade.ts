import type { RoleName } from '../model/inventory.js';
import { nodeKey } from '../planner/build-plan.js';
import { parseBatchSpec } from '../planner/rolling.js';
import { planRunner, runExitCode } from './run/execute.js';
import { auditLine, lockedRun, lockOptions } from './run/locked-run.js';
import { openRun, type RunContext } from './run/open-run.js';
import { readNodeReleases, releasesKey, releaseVersion } from './rollout/releases.js';
import { nodeOutcome, rolloutExitCode, versionsDetail, type NodeVersions } from './rollout/report.js';
import { afterRecovery, recoveryStopped, type Rollout, type RolloutOptions } from './rollout/roll-windows.js';
import { recoverLeftovers } from './rollout/recover.js';
import { rollSwitches } from './rollout/switch-window.js';
import { batchSwitches, upgradeBatches } from './upgrade/batches.js';
import { upgradeScope } from './upgrade/scope.js';
import { stagePlan } from './upgrade/stage.js';
import { refuseCrossVersion } from './upgrade/version-gate.js';
import { type SecretSources } from '../secrets/sources.js';

export interface UpgradeOptions extends RolloutOptions {
  readonly inventory: string;
  readonly envFile?: string;
  /** Encrypted dotenv key, --env-from-process names. */
  readonly secrets?: SecretSources;
  /** Target version for this run (default: the inventory's apim.version). */
  readonly to?: string;
  /** `1`, `N` or `25%` per role (default 1). */
  readonly batch?: string;
  readonly roles?: readonly RoleName[];
  readonly limit?: string;
  /** Seconds to wait for another run's deploy lock (default 0: refuse at once). */
  readonly lockWaitMs?: number;
  readonly acceptNewHostKeys?: boolean;
  /** false (`--no-peer-copy`): staging sends every pack and JDK from the controller, none from a peer. */
  readonly peerCopy?: boolean;
}

export interface UpgradeResult {
  readonly exitCode: number;
  readonly targetVersion: string;
  readonly versions: readonly NodeVersions[];
  readonly rollout: Rollout | null;
}

/**
 * The run an upgrade and its preview share: the inventory at the target version, its artifacts hashed, every
 * host connected (balancers outside `--limit` drain too).
 */
export const openUpgradeRun = (opts: UpgradeOptions): Promise<RunContext> =>
  openRun(opts, { ...(opts.to ? { version: opts.to } : {}), artifacts: 'hash', connect: 'every', unreachable: 'stop' });

/**
 * `apim-deploy upgrade`: stage the new release on every node that needs it (nothing stops), then roll node by
 * node in dependency order: drain, stop, switch, start, gate, rejoin; roll a node back when its gate fails.
 */
export async function upgrade(opts: UpgradeOptions): Promise<UpgradeResult> {
  const batch = parseBatchSpec(opts.batch ?? '1');
  const ctx = await openUpgradeRun(opts);
  const { inventory } = ctx;
  const version = inventory.apim.version;
  const notice = opts.onNotice ?? (() => {});
  const command = `upgrade${opts.to ? ` --to ${opts.to}` : ''}`;
  try {
    await refuseCrossVersion(ctx, opts.inventory);
    return await lockedRun(ctx, { command, notice, ...lockOptions(opts) }, async () => {
      const recovered = await recoverLeftovers(ctx, opts);
      const scope = await upgradeScope(ctx, { inventoryArg: opts.inventory, ...(opts.roles ? { roles: opts.roles } : {}) });
      const { targets, before } = scope;
      const wso2 = scope.nodes;
      const audit = auditLine(ctx, command, `${command}: ${targets.length} of ${wso2.length} node(s) to ${version}`, notice);
      await audit('started');

      let rollout: Rollout | null = null;
      let exitCode = 0;
      if (recoveryStopped(recovered)) {
        notice(`stopped: ${recovered!.stoppedBecause ?? 'interrupted'}`);
      } else if (targets.length === 0) {
        notice(`every node already runs ${version}`);
      } else {
        const staging = stagePlan(ctx, scope, opts.peerCopy === false ? { peerCopy: false } : {});
        notice(`== stage ${version} on ${targets.length} node(s); nothing stops`);
        const stageRun = staging.waves.length > 0 ? await planRunner(ctx, opts)(staging, true) : null;
        if (stageRun && !stageRun.ok) {
          exitCode = stageRun.aborted ? 130 : runExitCode(stageRun);
        } else {
          rollout = await rollSwitches(ctx, { inventory: inventory.file, apimVersion: version }, upgradeBatches(inventory, scope, batch),
            (b) => batchSwitches(ctx, scope, b, opts.healthTimeoutMs), opts);
          if (rollout.stoppedBecause) notice(`stopped: ${rollout.stoppedBecause}`);
          exitCode = rolloutExitCode(rollout);
        }
      }
      rollout = afterRecovery(recovered, rollout);
      if (recoveryStopped(recovered) || (rollout && exitCode === 0)) exitCode = rollout ? rolloutExitCode(rollout) : exitCode;
      const after = await readNodeReleases(ctx.transports, wso2.map((n) => ({ node: n.node, link: n.release!.link })), { skipUnreachable: true });
      const versions = wso2.map((n): NodeVersions => {
        const b = before.get(nodeKey(n.node)) ?? null;
        const afterDir = after.get(releasesKey(n.node, n.release!.link))?.current ?? null;
        const a = releaseVersion(afterDir);
        // Switched or only restarted is told by the release dir: update levels of one version share the version.
        return { node: n.node, before: b, after: a, outcome: nodeOutcome(n.node, rollout, scope.releasesOf(n).current, afterDir) };
      });
      const outcome = exitCode === 0 ? 'ok' : exitCode === 130 ? 'interrupted' : rollout?.batches.some((b) => b.rolledBack.length > 0) ? 'rolled-back' : 'failed';
      await audit(outcome, versionsDetail(versions));
      return { exitCode, targetVersion: version, versions, rollout };
    });
  } finally {
    await ctx.close();
  }
}
