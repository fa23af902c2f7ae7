import { RemoteError } from '../errors.js';
import { defaultRoleCatalog } from '../catalog/roles.js';
import { loadInventory } from '../inventory/load.js';
import type { HostName, HostSpec, Inventory } from '../model/inventory.js';
import type { FileContent, Plan } from '../model/plan.js';
import { buildPlan } from '../planner/build-plan.js';
import { desiredState, type DesiredHost } from '../planner/desired-state.js';
import type { HostState, LocalArtifact } from '../planner/inputs.js';
import { renderInventory, type RenderedNode } from '../render/render-inventory.js';
import type { ConnectionCounter } from '../transport/open.js';
import { connect, type Connections } from './connect.js';
import { distributionFiles, packDefaults } from './distribution-files.js';
import { freshHostState } from './fresh-state.js';
import { gatherState } from './gather-state.js';
import { limitHosts } from './limit.js';
import { localArtifacts } from './local-artifacts.js';
import { preflightProblems } from './preflight.js';

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
  const catalog = defaultRoleCatalog();
  const rendered = renderInventory(inventory, { catalog });
  const artifacts = await localArtifacts(inventory, rendered);
  const [distFiles, defaults] = await Promise.all([distributionFiles(rendered, artifacts), packDefaults(rendered, artifacts)]);
  const contents = new Map<string, FileContent>();
  for (const r of rendered) for (const f of r.files) contents.set(f.sha256, { sha256: f.sha256, content: f.content, secret: f.secret });
  for (const f of distFiles.values()) contents.set(f.sha256, f);
  const baseInputs = { inventory, catalog, rendered, artifacts, distributionFiles: distFiles, packDefaults: defaults, now: new Date().toISOString(),
    ...(opts.healthTimeoutMs ? { healthTimeoutMs: opts.healthTimeoutMs } : {}) };
  const everyHost = desiredState({ ...baseInputs, state: new Map() });
  const inScope = opts.limit === undefined ? null : limitHosts(inventory.hosts, opts.limit);
  const desired = inScope ? everyHost.filter((d) => inScope.has(d.host.name)) : everyHost;

  const open = opts.openConnections ?? ((hosts) => connect(hosts, {
    ...(opts.acceptNewHostKeys !== undefined ? { acceptNewHostKeys: opts.acceptNewHostKeys } : {}),
    ...(opts.counter ? { counter: opts.counter } : {}),
  }));
  const connections = await open(desired.map((d) => d.host));
  try {
    if (connections.unreachable.size > 0 && !opts.dryRun) {
      const lines = [...connections.unreachable.values()].map((e) => `  ${e.message}${e.hint ? `\n    ${e.hint}` : ''}`);
      throw new RemoteError(
        [...connections.unreachable.keys()].join(', '),
        `cannot reach ${connections.unreachable.size} of ${inventory.hosts.length} host(s); nothing was changed`,
        lines.join('\n'),
        'fix the connection problems above, then re-run',
      );
    }
    const reachable = desired.filter((d) => connections.transports.has(d.host.name));
    const state = await gatherState(reachable, connections.transports);
    const problems = preflightProblems(reachable, state);
    for (const host of connections.unreachable.keys()) state.set(host, freshHostState());
    if (problems.length > 0 && !opts.dryRun) {
      throw new RemoteError('preflight', `${problems.length} problem(s) found before any change; nothing was changed`, problems.map((p) => `  ${p}`).join('\n'),
        'fix them on the hosts (or in the inventory), then re-run');
    }
    const plan = buildPlan({ ...baseInputs, state }, desired);
    const unreachable = new Map([...connections.unreachable].map(([host, e]) => [host, e.message]));
    return { inventory, rendered, desired, state, plan, contents, connections, unreachable, problems, artifacts };
  } catch (err) {
    await connections.close();
    throw err;
  }
}
