import { UsageError } from '../../errors.js';
import type { HostName, Inventory, NodeRef, RoleName } from '../../model/inventory.js';
import { PLAN_FORMAT, type Plan } from '../../model/plan.js';
import type { DesiredHost, DesiredNode } from '../../planner/desired-state.js';
import type { HostState } from '../../planner/inputs.js';
import { rollingBatches, type BatchSpec, type RollingBatch } from '../../planner/rolling.js';
import type { NodeSwitch } from '../../planner/rolling-window.js';
import { stageSteps } from '../../planner/rolling-stage.js';
import { limitHosts } from '../run/limit.js';
import { releaseVersion, type RoleReleases } from '../rollout/releases.js';
import { readState, type RollingContext } from '../run/open-run.js';
import { readNodeReleases, releasesKey, upgradeSwitch } from '../rollout/switches.js';

const key = (n: NodeRef): string => `${n.host}/${n.role}`;
const NO_RELEASES: RoleReleases = { current: null, previous: null, releases: [] };

/** What an upgrade works on, read from the hosts (with preflight) before anything changes. */
export interface UpgradeScope {
  /** WSO2 nodes in scope (`--roles`, `--limit`), and the hosts they are on. */
  readonly nodes: readonly DesiredNode[];
  readonly hosts: readonly DesiredHost[];
  readonly state: ReadonlyMap<HostName, HostState>;
  /** Version each node runs now, by `host/role`. */
  readonly before: ReadonlyMap<string, string | null>;
  /** Nodes whose `current` is not the target release yet. */
  readonly targets: readonly DesiredNode[];
  releasesOf(n: DesiredNode): RoleReleases;
}

export async function upgradeScope(ctx: RollingContext, opts: { roles?: readonly RoleName[]; limit?: string; inventoryArg: string }): Promise<UpgradeScope> {
  const inScope = opts.limit ? limitHosts(ctx.inventory.hosts, opts.limit) : null;
  const nodes = ctx.desired.flatMap((d) => d.nodes).filter((n) => n.release !== null &&
    (!opts.roles || opts.roles.includes(n.node.role)) && (!inScope || inScope.has(n.node.host)));
  const hosts = ctx.desired.filter((d) => nodes.some((n) => n.node.host === d.host.name));
  const state = await readState(ctx, hosts, { preflight: true });
  const releases = await readNodeReleases(ctx.transports, nodes.map((n) => ({ node: n.node, link: n.release!.link })));
  const releasesOf = (n: DesiredNode) => releases.get(releasesKey(n.node, n.release!.link)) ?? NO_RELEASES;
  const notInstalled = nodes.filter((n) => releasesOf(n).current === null);
  if (notInstalled.length > 0) {
    throw new UsageError(`${notInstalled.map((n) => key(n.node)).join(', ')}: not installed yet, nothing to upgrade from`,
      `install them first: apim-deploy provision -i ${opts.inventoryArg}`);
  }
  return {
    nodes, hosts, state, releasesOf,
    before: new Map(nodes.map((n) => [key(n.node), releaseVersion(releasesOf(n).current)])),
    targets: nodes.filter((n) => releasesOf(n).current !== n.release!.dir),
  };
}

/** Everything that happens before the first node stops: hosts prepared, new releases unpacked and configured. */
export function stagePlan(ctx: RollingContext, scope: UpgradeScope): Plan {
  const version = ctx.inventory.apim.version;
  const staged = stageSteps(ctx.desired, scope.state, scope.targets.map((n) => n.node));
  return {
    format: PLAN_FORMAT, inventory: ctx.inventory.file, apimVersion: version, createdAt: new Date().toISOString(), factsFingerprint: {},
    waves: [{ label: 'stage: hosts', steps: staged.host }, { label: `stage: ${version} releases`, steps: staged.nodes }].filter((w) => w.steps.length > 0),
    unchanged: [],
  };
}

/** The rollout order of an upgrade's targets. */
export function upgradeBatches(inventory: Inventory, scope: UpgradeScope, batch: BatchSpec): RollingBatch[] {
  return rollingOrder(inventory, scope.targets, scope.nodes, batch);
}

/**
 * Datacenter by datacenter, roles by dependency, batches within a role. Batch sizes count every node of the role
 * (`all`), not only those that change, so a batch never takes the whole role out.
 */
export function rollingOrder(inventory: Inventory, targets: readonly DesiredNode[], all: readonly DesiredNode[], batch: BatchSpec): RollingBatch[] {
  const dc = (host: string) => inventory.hosts.find((h) => h.name === host)?.datacenter ?? null;
  return rollingBatches(targets.map((n) => ({ node: n.node, datacenter: dc(n.node.host), runtime: n.runtime })), {
    batch, datacenters: inventory.datacenters.map((d) => d.name),
    roleSize: (role, at) => all.filter((n) => n.node.role === role && dc(n.node.host) === at).length,
  });
}

/** A batch's switches, on facts read just before it runs: nodes already on the target release are left out. */
export async function batchSwitches(ctx: RollingContext, scope: UpgradeScope, b: RollingBatch, healthTimeoutMs?: number): Promise<NodeSwitch[]> {
  const nodes = scope.targets.filter((n) => b.nodes.some((x) => key(x) === key(n.node)));
  const fresh = await readState(ctx, scope.hosts.filter((h) => nodes.some((n) => n.node.host === h.host.name)), { preflight: false });
  const rel = await readNodeReleases(ctx.transports, nodes.map((n) => ({ node: n.node, link: n.release!.link })));
  return nodes.filter((n) => rel.get(releasesKey(n.node, n.release!.link))?.current !== n.release!.dir).map((n) => {
    const r = rel.get(releasesKey(n.node, n.release!.link))!;
    const from = releaseVersion(r.current);
    return upgradeSwitch(n, fresh.get(n.node.host), r, from ? ctx.runtimeAt(from, n.node) : undefined, healthTimeoutMs);
  });
}
