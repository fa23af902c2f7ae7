import { UsageError } from '../../errors.js';
import type { HostName, RoleName } from '../../model/inventory.js';
import { nodeKey } from '../../planner/build-plan.js';
import type { DesiredHost, DesiredNode } from '../../planner/desired-state.js';
import type { HostState } from '../../planner/inputs.js';
import type { RunContext } from '../run/open-run.js';
import { readState } from '../run/read-state.js';
import { readNodeReleases, releasesKey, releaseVersion, type RoleReleases } from '../rollout/releases.js';

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

/** The WSO2 nodes `--roles` and `--limit` select, their hosts' facts (preflight stops unfit hosts) and releases. */
export async function upgradeScope(ctx: RunContext, opts: { roles?: readonly RoleName[]; inventoryArg: string }): Promise<UpgradeScope> {
  const nodes = ctx.desired.flatMap((d) => d.nodes).filter((n) => n.release !== null &&
    (!opts.roles || opts.roles.includes(n.node.role)) && (!ctx.limited || ctx.limited.has(n.node.host)));
  const hosts = ctx.desired.filter((d) => nodes.some((n) => n.node.host === d.host.name));
  const { state } = await readState(ctx.transports, hosts, 'stop', { verify: ctx.verify });
  const releases = await readNodeReleases(ctx.transports, nodes.map((n) => ({ node: n.node, link: n.release!.link })));
  const releasesOf = (n: DesiredNode) => releases.get(releasesKey(n.node, n.release!.link)) ?? NO_RELEASES;
  const notInstalled = nodes.filter((n) => releasesOf(n).current === null);
  if (notInstalled.length > 0) {
    throw new UsageError(`${notInstalled.map((n) => nodeKey(n.node)).join(', ')}: not installed yet, nothing to upgrade from`,
      `install them first: apim-deploy provision -i ${opts.inventoryArg}`);
  }
  return {
    nodes, hosts, state, releasesOf,
    before: new Map(nodes.map((n) => [nodeKey(n.node), releaseVersion(releasesOf(n).current)])),
    targets: nodes.filter((n) => releasesOf(n).current !== n.release!.dir),
  };
}
