import type { ResolvedRuntime } from '../../catalog/runtime.js';
import type { TransportError } from '../../errors.js';
import { loadInventory } from '../../inventory/load.js';
import type { HostName, HostSpec, Inventory, NodeRef, RoleName } from '../../model/inventory.js';
import { desiredState, type DesiredHost } from '../../planner/desired-state.js';
import type { ConnectionCounter, FirstAnswer, OpenOptions } from '../../transport/open.js';
import type { Transport } from '../../transport/transport.js';
import { connect, type Connections } from './connect.js';
import { EarlyReads } from './early-reads.js';
import { firstReadsCommand } from './first-reads.js';
import type { RenderedNode } from '../../render/render-inventory.js';
import { loadUpgradeInventory } from './inventory-at-version.js';
import { limitHosts } from './limit.js';
import { withInternalPki } from './internal-pki.js';
import { withOpenMigration } from '../migrate/traffic.js';
import { planningInputs, type PlanningInputs } from './planning-inputs.js';
import { runtimesAt } from './runtime-at.js';
import { serviceManagerReads, withDetectedServiceManager } from './service-manager.js';
import { unreachableError } from './run-errors.js';
import { secretOptions, type SecretSources } from '../../secrets/sources.js';

/** What each host runs first when its connection opens (transport/open.ts). */
type FirstCommands = NonNullable<OpenOptions['firstCommand']>;

/** What the operator gives every command that reads an inventory and talks to its hosts. */
export interface RunOptions {
  readonly inventory: string;
  readonly envFile?: string;
  /** Encrypted dotenv key, --env-from-process names. */
  readonly secrets?: SecretSources;
  readonly acceptNewHostKeys?: boolean;
  readonly counter?: ConnectionCounter;
  /** Opens the connections (tests inject in-memory transports); default: SSH or local per host. */
  readonly openConnections?: (hosts: readonly HostSpec[], firstCommand?: FirstCommands) => Promise<Connections>;
  /** Overrides every role's health deadline. */
  readonly healthTimeoutMs?: number;
  /** `--limit`: host names, role names or globs. */
  readonly limit?: string;
  /** `--verify`: hash every archive again, on the controller and on the hosts, trusting no cache or stamp. */
  readonly verify?: boolean;
  /** Runs on an inventory derived from the loaded one (migrate: green as an inventory of its own). */
  readonly derive?: (loaded: Inventory) => Promise<Inventory>;
  /**
   * On these hosts, plan only these roles' nodes: a run that owns one role of a shared host (migrate: the database on
   * a host that also balances, or the balancer on a host that also holds the database) leaves the others as they are.
   */
  readonly onlyRoles?: ReadonlyMap<HostName, readonly RoleName[]>;
}

/** What a command needs from the run: the differences between commands, said once, here. */
export interface RunNeeds {
  /** `upgrade --to V`: the inventory as it is at V, for this run only. */
  readonly version?: string;
  /**
   * `hash`: the controller-side files (JDK, distributions, driver) must exist and are hashed, and each host's
   * desired state is computed (commands that plan). `check`: they must exist (rollback). `none`: status.
   */
  readonly artifacts: 'hash' | 'check' | 'none';
  /** `limited`: only the hosts `--limit` selects; `every`: all (status, and rollouts that drain balancers). */
  readonly connect: 'limited' | 'every';
  /** An unreachable host stops the run before any change, or is reported (dry runs, status). */
  readonly unreachable: 'stop' | 'report';
  /**
   * The reads each host in scope answers in its connection's first command, into `early`, from the hosts' desired state
   * as loaded (commands that plan: read-state.ts stateReadsAhead; empty unless `hash`) or their rendered nodes (status).
   */
  readonly readsAhead?: (inScope: AheadSources) => ReadonlyMap<HostName, readonly (readonly string[])[]>;
}

/** What RunNeeds.readsAhead derives a host's reads from: the hosts in scope, as loaded (before the init systems are known). */
export interface AheadSources {
  readonly desired: readonly DesiredHost[];
  readonly rendered: readonly RenderedNode[];
}

/** One run: the inventory loaded and rendered, its files hashed, one connection per host. */
export interface RunContext extends PlanningInputs {
  readonly inventory: Inventory;
  /** Every host's desired state; empty unless the artifacts were hashed. */
  readonly desired: readonly DesiredHost[];
  /** The hosts `--limit` selects; null without it. */
  readonly limited: ReadonlySet<HostName> | null;
  readonly transports: ReadonlyMap<HostName, Transport>;
  readonly unreachable: ReadonlyMap<HostName, TransportError>;
  /** Hash archives again everywhere (`--verify`): host facts ignore upload stamps. */
  readonly verify: boolean;
  /** Reads the hosts answered when their connection opened (RunNeeds.readsAhead), for the first read. */
  readonly early: EarlyReads;
  /** Opens more connections the same way (the lock host when `--limit` leaves it out); the caller closes them. */
  open(hosts: readonly HostSpec[]): Promise<Connections>;
  /** Each node's runtime as a given APIM version runs it (the stop and start of the release being left). */
  runtimeAt(version: string, node: NodeRef): ResolvedRuntime | undefined;
  close(): Promise<void>;
}

/**
 * load → render → hash artifacts → connect, the same way for every command (provision, plan, status, upgrade,
 * rollback, provision --rolling). Touches no host except to connect. Facts, preflight and the lock follow
 * (read-state.ts, locked-run.ts), because commands read different hosts at different moments.
 */
export async function openRun(opts: RunOptions, needs: RunNeeds): Promise<RunContext> {
  const envFile = secretOptions(opts);
  const read = needs.version
    ? await loadUpgradeInventory(opts.inventory, { ...envFile, to: needs.version })
    : await loadInventory(opts.inventory, { ...envFile, requireArtifacts: needs.artifacts !== 'none' });
  const withTraffic = withOpenMigration(read);
  const loadedInventory = await withInternalPki(opts.derive ? await opts.derive(withTraffic) : withTraffic);
  const hashed = needs.artifacts === 'hash';
  const verify = opts.verify ?? false;
  const planningOf = (inv: Inventory) => planningInputs(inv, { withArtifacts: hashed, verify, ...(opts.healthTimeoutMs ? { healthTimeoutMs: opts.healthTimeoutMs } : {}) });
  const loaded = await planningOf(loadedInventory);
  const limited = opts.limit === undefined ? null : limitHosts(loadedInventory.hosts, opts.limit);

  const open = opts.openConnections ?? ((hosts: readonly HostSpec[], firstCommand?: FirstCommands) => connect(hosts, {
    ...(opts.acceptNewHostKeys !== undefined ? { acceptNewHostKeys: opts.acceptNewHostKeys } : {}),
    ...(opts.counter ? { counter: opts.counter } : {}),
    ...(firstCommand ? { firstCommand } : {}),
  }));
  const hosts = needs.connect === 'limited' && limited ? loadedInventory.hosts.filter((h) => limited.has(h.name)) : loadedInventory.hosts;
  // The service-manager read rides on each connection's opening command (see withDetectedServiceManager), and so do
  // the reads the command makes next (RunNeeds.readsAhead): the same commands asked later are answered.
  const reads = serviceManagerReads(loadedInventory);
  const loadedDesired = hashed ? withOnlyRoles(desiredState(loaded.inputs), opts.onlyRoles) : [];
  const inScope = (host: HostName): boolean => !limited || limited.has(host);
  const ahead = needs.readsAhead?.({ desired: loadedDesired.filter((d) => inScope(d.host.name)), rendered: loaded.rendered.filter((r) => inScope(r.host)) })
    ?? new Map<HostName, readonly (readonly string[])[]>();
  const answered = new Map<HostName, FirstAnswer>();
  const early = new EarlyReads();
  const connections = await open(hosts, (h) => {
    const manager = reads.get(h.name);
    return firstReadsCommand(h.name, { ...(manager ? { serviceManager: manager } : {}), state: ahead.get(h.name) ?? [] }, answered, early);
  });
  if (connections.unreachable.size > 0 && needs.unreachable === 'stop') {
    await connections.close();
    throw unreachableError(connections.unreachable, loadedInventory.hosts.length);
  }
  // An unset service_manager follows the host's init system: render again only when a host runs systemd.
  let inventory = loadedInventory;
  let planning = loaded;
  try {
    inventory = await withDetectedServiceManager(loadedInventory, connections.transports, answered);
    if (inventory !== loadedInventory) planning = await planningOf(inventory);
  } catch (err) {
    await connections.close();
    throw err;
  }
  const desired = !hashed ? [] : planning === loaded ? loadedDesired : withOnlyRoles(desiredState(planning.inputs), opts.onlyRoles);
  return {
    ...planning, inventory, desired, limited, open, verify, early,
    transports: connections.transports, unreachable: connections.unreachable,
    runtimeAt: runtimesAt(inventory, planning.catalog, planning.rendered),
    close: () => connections.close(),
  };
}

/** The hosts a command plans for: every host, or those `--limit` selects. */
export const desiredInScope = (ctx: Pick<RunContext, 'desired' | 'limited'>): DesiredHost[] =>
  ctx.desired.filter((d) => !ctx.limited || ctx.limited.has(d.host.name));

/** Each host's desired state with only the nodes `onlyRoles` keeps on the hosts it names. */
function withOnlyRoles(desired: DesiredHost[], onlyRoles: RunOptions['onlyRoles']): DesiredHost[] {
  if (!onlyRoles) return desired;
  return desired.map((d) => {
    const roles = onlyRoles.get(d.host.name);
    return roles ? { ...d, nodes: d.nodes.filter((n) => roles.includes(n.node.role)) } : d;
  });
}
