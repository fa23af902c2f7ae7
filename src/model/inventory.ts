import type { Secret } from './secret.js';
import type { NodeVars } from './vars.js';

/**
 * The roles, each defined by roles/<role>/role.yaml. This order is the order of a host's roles and of roles
 * within one start wave; the start order itself follows each role's `dependsOn`.
 */
export const ROLE_NAMES = [
  'database',
  'control-plane',
  'all-in-one',
  'key-manager',
  'traffic-manager',
  'gateway',
  'load-balancer',
] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export const PATTERN_IDS = [
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  'multi-dc-active-active',
  'multi-dc-active-passive',
] as const;
export type PatternId = (typeof PATTERN_IDS)[number];

/**
 * A distribution pack, as role.yaml variants name it per APIM version (4.5+: `all-in-one`, `acp`, `universal-gw`,
 * `tm`; 4.0–4.4: `all-in-one` only). The keys of `apim.distributions` in the inventory.
 */
export type DistributionKind = string;

export type HostName = string;

export interface SourcePos {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** A local file to push (distribution zip, JDK tarball). */
export interface ArtifactRef {
  /** Absolute path on the controller, after resolving relative to the inventory file. */
  readonly path: string;
  /** The path as written, `{version}` unresolved (see inventoryAtVersion in src/inventory/at-version.ts). */
  readonly written: string;
  readonly sha256?: string;
  readonly pos: SourcePos;
}

/** Privilege escalation (Ansible's `become`): every command on the host runs through sudo as `user`. */
export interface BecomeSpec {
  readonly method: 'sudo';
  /** `become_user`, default root. */
  readonly user: string;
  /** `become_password`: fed to sudo on stdin, never on a command line. */
  readonly password?: Secret;
}

/** A jump host (`proxy_jump`): another inventory host, or `user@host:port` as written. */
export interface JumpHost {
  /** The inventory host name, or the spec as written. */
  readonly label: string;
  readonly address: string;
  readonly port?: number;
  readonly user?: string;
  readonly sshKey?: string;
  readonly knownHosts?: string;
}

export interface HostSpec {
  readonly name: HostName;
  readonly address: string;
  readonly connection: 'ssh' | 'local';
  /** Unset: ssh_config's Port, else 22. */
  readonly port?: number;
  /** The login user; unset: ssh_config's User, else root. */
  readonly user?: string;
  /** Absolute path to the private key on the controller. */
  readonly sshKey?: string;
  /** Absolute path to a known_hosts file; unset = ~/.ssh/known_hosts. */
  readonly knownHosts?: string;
  /** Set in multi-datacenter patterns. */
  readonly datacenter?: string;
  /** Commands run through sudo (the login user is not root). */
  readonly become?: BecomeSpec;
  /** Jump hosts, outermost first; `[]` = none even if ssh_config says one; unset = as ssh_config says. */
  readonly proxyJump?: readonly JumpHost[];
  /** Passphrase of a protected `ssh_key`. */
  readonly sshKeyPassphrase?: Secret;
  /** The ssh_config file completing what the inventory leaves unsaid; unset: ~/.ssh/config. */
  readonly sshConfig?: string;
  /** Connection key → the inventory key that gave its value (`defaults.user`, `hosts.cp-1.proxy_jump`). */
  readonly connectionOrigins?: Readonly<Partial<Record<string, string>>>;
  /** Roles this host plays, in ROLE_NAMES order. */
  readonly roles: readonly RoleName[];
  readonly pos: SourcePos;
}

export interface DatacenterSpec {
  readonly name: string;
  /** Role → hosts in that datacenter. */
  readonly roles: Readonly<Partial<Record<RoleName, readonly HostName[]>>>;
  readonly pos: SourcePos;
}

/**
 * The green partner of a blue WSO2 host (inventory `green:`): `migrate` provisions the new version there while blue
 * serves, then the balancers move from blue to green. Connection settings are the blue host's.
 */
export interface GreenHost {
  /** The blue host it takes over from. */
  readonly blue: HostName;
  readonly name: HostName;
  readonly address: string;
  readonly pos: SourcePos;
}

/** The validated, normalized inventory. Produced only by src/inventory. */
export interface Inventory {
  /** Absolute path of the inventory file. */
  readonly file: string;
  readonly name: string;
  readonly pattern: PatternId;
  readonly apim: {
    readonly version: string;
    readonly distributions: Readonly<Partial<Record<DistributionKind, ArtifactRef>>>;
    readonly jdk: ArtifactRef & {
      /** Version the JDK reports, when the inventory states it (preflight reads it from the host anyway). */
      readonly version?: string;
    };
    /** JDBC driver jar for database.type postgresql/mysql (WSO2 packs ship none); copied to repository/components/lib. */
    readonly jdbcDriver?: ArtifactRef;
  };
  /** Hosts in file order. */
  readonly hosts: readonly HostSpec[];
  /** Role → hosts, across all datacenters, in file order. */
  readonly roles: Readonly<Partial<Record<RoleName, readonly HostName[]>>>;
  /** Multi-DC patterns only, in file order; the first is the primary (central) one. */
  readonly datacenters: readonly DatacenterSpec[];
  /** Every node (a host playing a role): hosts in file order, each host's roles in ROLE_NAMES order. */
  readonly nodes: readonly NodeSpec[];
  /** `green:` partners of the WSO2 hosts, for `migrate` (absent or empty: the inventory names none). */
  readonly green?: readonly GreenHost[];
  /**
   * Clients of another environment that keep their grants on this inventory's database server while a migration is
   * open: blue's WSO2 hosts in green's inventory (src/inventory/green-inventory.ts), green's partners in blue's
   * (src/workflows/migrate/traffic.ts). Absent in an inventory as written.
   */
  readonly retainedDatabaseClients?: readonly DatabaseClient[];
  /**
   * Where `migrate` put the balancers' clients (the controller's migration record, read when a run opens); absent: on
   * blue, and in an inventory as written.
   */
  readonly traffic?: Traffic;
  /** Every secret the inventory references, for redaction. */
  readonly secrets: readonly Secret[];
  /** What validate prints but does not refuse (a dotenv value cut at an unquoted "#"), file:line first. */
  readonly warnings: readonly InventoryWarning[];
  /** The internal CA and the balancer's certificate (workflows add it before rendering; absent: no load balancer, or a pure test). */
  readonly pki?: InternalPki;
}

/** A host that opens databases on the database server, and the names it opens (pg_hba.conf grants one line each). */
export interface DatabaseClient {
  readonly address: string;
  readonly databases: readonly string[];
}

/** A positioned note on an input file, shaped like a ConfigIssue (model imports nothing, so it is its own type). */
export interface InventoryWarning {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly path: string;
  readonly message: string;
}

/**
 * The deployment's internal CA: it signs the load balancer's certificate and lands in every WSO2 node's
 * client-truststore.jks, so Carbon's HTTP clients trust the balancer they call (findings i10 §6).
 */
export interface InternalPki {
  /** PEM of the CA certificate (public). */
  readonly caCert: string;
  /** PEM of the balancer's certificate, signed by the CA, naming every balancer address and public hostname. */
  readonly lbCert: string;
  readonly lbKey: Secret;
  /**
   * What every WSO2 node imports into client-truststore.jks: the CA, the operator's `truststore` CAs and the peers'
   * own TLS certificates (PEM bundle). Absent: the CA alone. '' caCert/lbCert: no load balancer, own certificates only.
   */
  readonly trusted?: string;
  /** The operator's keystore and balancer files read on the controller, by the path as written in the inventory. */
  readonly files?: Readonly<Record<string, Secret>>;
}

/** One component instance: a role played by a host. Pattern 0 has one node; a host with two roles has two. */
export interface NodeRef {
  readonly host: HostName;
  readonly role: RoleName;
}

/** A node's key in maps and sets, as plans and reports print it: `gw-1/gateway`. */
export const nodeKey = (n: NodeRef): string => `${n.host}/${n.role}`;

/** A node as the inventory defines it, normalised: what everything downstream reads. */
export interface NodeSpec extends NodeRef {
  /** Multi-DC patterns: the host's datacenter; else null. */
  readonly datacenter: string | null;
  /** WSO2 port offset (`[server] offset`, `port_offsets:`); 0 when unset and for service roles. */
  readonly offset: number;
  readonly vars: NodeVars;
  /** No inventory layer sets `service_manager`: a run picks systemd when the host runs it (workflows/run/service-manager.ts). */
  readonly serviceManagerDefaulted?: boolean;
}

/** The node `ref` of the inventory; throws when the inventory has no such node (a caller's bug). */
export function nodeOf(inv: Pick<Inventory, 'nodes'>, ref: NodeRef): NodeSpec {
  const node = inv.nodes.find((n) => n.host === ref.host && n.role === ref.role);
  if (!node) throw new Error(`the inventory has no node ${ref.host}/${ref.role}`);
  return node;
}

/** How many hosts a role takes in one layout (a pattern, or one datacenter of a multi-DC pattern). */
export interface RoleCount {
  readonly min: number;
  /** Absent: no upper bound (gateways, key managers scale to N). */
  readonly max?: number;
}

/** Roles of one layout: a role absent from `roles` is not allowed there; min >= 1 means required. */
export interface LayoutRules {
  readonly roles: Readonly<Partial<Record<RoleName, RoleCount>>>;
  /** A load balancer is required when any of these roles has more than one node (unless public_hostname is set). */
  readonly loadBalancerWhen: readonly RoleName[];
}

/** One deployment pattern from patterns/<id>.yaml, validated. Produced only by src/catalog/patterns.ts. */
export interface PatternDefinition {
  readonly id: PatternId;
  readonly title: string;
  readonly description: string;
  /** Single-datacenter patterns: the layout. Multi-DC patterns: undefined. */
  readonly layout?: LayoutRules;
  /** Multi-DC patterns only. The first datacenter listed in the inventory is the central one. */
  readonly datacenters?: {
    readonly min: number;
    readonly central: LayoutRules;
    readonly regional: LayoutRules;
    /** Active-active: every datacenter's `database` must say `replicated: true`. */
    readonly replicatedDatabase: boolean;
    /** Every datacenter names the same gateway environment (active-active regions are identical). */
    readonly identicalRegions: boolean;
    /** Each control plane publishes its events to every other datacenter's control planes over JMS. */
    readonly crossRegionEvents: boolean;
  };
  /** Pairs of roles that must never share a host (WSO2 roles that may share still need distinct port offsets). */
  readonly neverShare: readonly (readonly [RoleName, RoleName])[];
  /** Whether `database.type: h2` (embedded, single node only) is allowed. */
  readonly h2Allowed: boolean;
  /** Absolute path of the pattern file, for messages. */
  readonly file: string;
}

/**
 * `green`: every balancer sends clients to the `green:` partners (the switch ran, no `--rollback` since);
 * `{ green: [...] }`: only the balancers of those datacenters do, the others still send to blue (a multi-datacenter
 * switch, or rollback, that stopped between datacenters).
 */
export type Traffic = 'green' | { readonly green: readonly string[] };

/** Whether a balancer in `datacenter` (null: a single-datacenter pattern) sends clients to green. */
export const clientsOnGreen = (traffic: Traffic | undefined, datacenter: string | null): boolean =>
  traffic === 'green' || (traffic !== undefined && datacenter !== null && traffic.green.includes(datacenter));

/** The traffic when the balancers of the datacenters in `green` (of `all`, in file order) send clients to green. */
export function trafficOf(all: readonly string[], green: ReadonlySet<string>): Traffic | undefined {
  const on = all.filter((d) => green.has(d));
  return on.length === 0 ? undefined : on.length === all.length ? 'green' : { green: on };
}
