import type { ResolvedRuntime } from '../../catalog/runtime.js';
import type { Inventory } from '../../model/inventory.js';
import { nodeKey } from '../../planner/build-plan.js';
import type { DesiredNode } from '../../planner/desired-state.js';
import { inReleaseSetupMarkers } from '../../planner/node-steps.js';
import type { HostState } from '../../planner/inputs.js';
import type { BatchSpec, RollingBatch } from '../../planner/rolling.js';
import type { NodeSwitch } from '../../planner/rolling-window.js';
import type { RunContext } from '../run/open-run.js';
import { readState } from '../run/read-state.js';
import { rollingOrder } from '../rollout/order.js';
import { readNodeReleases, releasesKey, releaseVersion, type RoleReleases } from '../rollout/releases.js';
import { makeSwitch } from '../rollout/switches.js';
import type { UpgradeScope } from './scope.js';

/** The rollout order of an upgrade's targets. */
export function upgradeBatches(inventory: Inventory, scope: UpgradeScope, batch: BatchSpec): RollingBatch[] {
  return rollingOrder(inventory, scope.targets, scope.nodes, batch);
}

/** Whether the node's process is up, from the batched host probe (PID file alive). */
const isAlive = (runtime: ResolvedRuntime, state: HostState | undefined): boolean =>
  runtime.pidFile ? state?.facts.pids[runtime.pidFile]?.state === 'alive' : false;

/** The upgrade's switch for a node whose `current` is not the desired release yet. */
function upgradeSwitch(n: DesiredNode, state: HostState | undefined, releases: RoleReleases, oldRuntime: ResolvedRuntime | undefined, healthTimeoutMs?: number): NodeSwitch {
  // The staging ran the setups that touch only the new release (planner/rolling-stage.ts), before any window.
  const staged = inReleaseSetupMarkers(n);
  const setup = n.setup.filter((s) => !s.whileRunning && !staged.has(s.marker) && !state?.facts.markers[s.marker]).map((s) => ({ name: s.name, argv: s.argv, marker: s.marker, ...(s.stdin ? { stdinKey: s.stdin.key } : {}) }));
  const stopRuntime = oldRuntime ?? n.runtime;
  return makeSwitch({ node: n.node, link: n.release!.link, releases, to: n.release!.dir, stopRuntime, startRuntime: n.runtime,
    running: isAlive(stopRuntime, state), setup, ...(healthTimeoutMs ? { healthTimeoutMs } : {}) });
}

/** A batch's switches, on facts read just before it runs: nodes already on the target release are left out. */
export async function batchSwitches(ctx: RunContext, scope: UpgradeScope, b: RollingBatch, healthTimeoutMs?: number): Promise<NodeSwitch[]> {
  const nodes = scope.targets.filter((n) => b.nodes.some((x) => nodeKey(x) === nodeKey(n.node)));
  const { state } = await readState(ctx.transports, scope.hosts.filter((h) => nodes.some((n) => n.node.host === h.host.name)), 'skip', { verify: ctx.verify });
  const rel = await readNodeReleases(ctx.transports, nodes.map((n) => ({ node: n.node, link: n.release!.link })));
  return nodes.filter((n) => rel.get(releasesKey(n.node, n.release!.link))?.current !== n.release!.dir).map((n) => {
    const r = rel.get(releasesKey(n.node, n.release!.link))!;
    const from = releaseVersion(r.current);
    return upgradeSwitch(n, state.get(n.node.host), r, from ? ctx.runtimeAt(from, n.node) : undefined, healthTimeoutMs);
  });
}
