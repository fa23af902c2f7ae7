import type { RoleCatalog } from '../../catalog/roles.js';
import { loadInventory } from '../../inventory/load.js';
import type { HostName, HostSpec, Inventory } from '../../model/inventory.js';
import type { FileContent, Plan } from '../../model/plan.js';
import { buildPlan } from '../../planner/build-plan.js';
import { desiredState, type DesiredHost } from '../../planner/desired-state.js';
import type { HostState, LocalArtifact } from '../../planner/inputs.js';
import type { RenderedNode } from '../../render/render-inventory.js';
import type { ConnectionCounter } from '../../transport/open.js';
import { connect, type Connections } from './connect.js';
import { freshHostState } from './fresh-state.js';
import { gatherState } from './read-state.js';
import { limitHosts } from './limit.js';
import { preflightProblems } from './preflight.js';
import { planningInputs } from './planning-inputs.js';
import { preflightError, unreachableError } from './run-errors.js';

export interface PrepareOptions {
  readonly inventory: string;
  readonly envFile?: string;
  readonly acceptNewHostKeys?: boolean;
  readonly counter?: ConnectionCounter;
  /** Overrides every role's health deadline. */
  readonly healthTimeoutMs?: number;
  /** `--limit`: host names, role names or globs; only matching hosts are connected to and planned. */
  readonly limit?: string;
  /**
   * Dry run: an unreachable host is planned as a fresh one (and listed in `unreachable`), preflight problems are
   * returned in `problems`; neither throws.
   */
  readonly dryRun?: boolean;
  /** Opens the connections (tests inject in-memory transports); default: SSH or local per host. */
  readonly openConnections?: (hosts: readonly HostSpec[]) => Promise<Connections>;
}

/** Everything a run needs, computed the same way for provision, dry run and status. */
export interface Prepared {
  readonly inventory: Inventory;
  readonly catalog: RoleCatalog;
  readonly rendered: readonly RenderedNode[];
  readonly desired: readonly DesiredHost[];
  readonly state: ReadonlyMap<HostName, HostState>;
  readonly plan: Plan;
  /** Rendered files and distribution files by sha256: what upload steps send. */
  readonly contents: Map<string, FileContent>;
  readonly connections: Connections;
  /** Dry run only: hosts that could not be reached, with why (planned as fresh hosts). */
  readonly unreachable: ReadonlyMap<HostName, string>;
  /** Dry run only: preflight problems a real run would stop on. */
  readonly problems: readonly string[];
  /** The controller-side distributions and JDK, hashed. */
  readonly artifacts: Readonly<Partial<Record<string, LocalArtifact>>>;
}

/**
 * load → render → hash artifacts → connect (one connection per host) → read facts → preflight → plan.
 * Touches no host except to read. Throws before any change when a host is unreachable or fails preflight.
 */
export async function prepareDeployment(opts: PrepareOptions): Promise<Prepared> {
  const inventory = await loadInventory(opts.inventory, opts.envFile ? { envFile: opts.envFile } : {});
  const { catalog, rendered, contents, inputs: baseInputs } = await planningInputs(inventory, opts.healthTimeoutMs ? { healthTimeoutMs: opts.healthTimeoutMs } : {});
  const { artifacts } = baseInputs;
  const everyHost = desiredState({ ...baseInputs, state: new Map() });
  const inScope = opts.limit === undefined ? null : limitHosts(inventory.hosts, opts.limit);
  const desired = inScope ? everyHost.filter((d) => inScope.has(d.host.name)) : everyHost;

  const open = opts.openConnections ?? ((hosts) => connect(hosts, {
    ...(opts.acceptNewHostKeys !== undefined ? { acceptNewHostKeys: opts.acceptNewHostKeys } : {}),
    ...(opts.counter ? { counter: opts.counter } : {}),
  }));
  const connections = await open(desired.map((d) => d.host));
  try {
    if (connections.unreachable.size > 0 && !opts.dryRun) throw unreachableError(connections.unreachable, inventory.hosts.length);
    const reachable = desired.filter((d) => connections.transports.has(d.host.name));
    const state = await gatherState(reachable, connections.transports);
    const problems = preflightProblems(reachable, state);
    for (const host of connections.unreachable.keys()) state.set(host, freshHostState());
    if (problems.length > 0 && !opts.dryRun) throw preflightError(problems);
    const plan = buildPlan({ ...baseInputs, state }, desired);
    const unreachable = new Map([...connections.unreachable].map(([host, e]) => [host, e.message]));
    return { inventory, catalog, rendered, desired, state, plan, contents, connections, unreachable, problems, artifacts };
  } catch (err) {
    await connections.close();
    throw err;
  }
}
