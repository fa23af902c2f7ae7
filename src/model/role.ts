import type { HealthCheck, HealthPolicy } from './health.js';
import type { DistributionKind, RoleName } from './inventory.js';

/**
 * A role definition: the validated form of roles/<role>/role.yaml. Pure data; strings may hold
 * `{placeholders}` (see PLACEHOLDERS in src/catalog/placeholders.ts) resolved per node by
 * `resolveNodeRuntime` in src/catalog/runtime.ts.
 */
export interface RoleDefinition {
  readonly name: RoleName;
  readonly summary: string;
  /** Roles that must be healthy before this one starts, when present in the inventory. */
  readonly dependsOn: readonly RoleName[];
  readonly runtime: Wso2Runtime | ServiceRuntime;
  readonly files: readonly FileSpec[];
  /** Files that must not exist while `when` holds: a plan removes them where it finds them. */
  readonly absent: readonly { readonly dest: string; readonly when: When }[];
  /**
   * Files that must exist while `when` holds, whose content is not the role's (another command writes it): a plan
   * creates an empty one where none is, and leaves one that is there as it is.
   */
  readonly present: readonly PresentSpec[];
  /**
   * Every port the role listens on, by name, as base ports (WSO2 roles add the node's offset): the one source for
   * the host-sharing check, the preflight port check, the wiring between nodes and the load balancer's listeners.
   */
  readonly ports: Readonly<Record<string, number>>;
  /**
   * The shared databases its deployment.toml names, per APIM version (first matching range): it gets their JDBC
   * references, the JDBC driver and a pg_hba line. Empty: none.
   */
  readonly databases: readonly VersionedDatabases[];
  /** Tables of the version's shipped deployment.toml the templates keep as they ship (every matching entry). */
  readonly shipped: readonly ShippedTables[];
  readonly health: { readonly checks: readonly HealthCheckSpec[]; readonly policy: HealthPolicy };
  readonly upgrade: UpgradePolicy;
  /** One-time commands (guarded by a marker file), in order, before the first start. */
  readonly setup: readonly SetupSpec[];
  /** The database role: how `migrate` backs up a database, copies it and runs a migration script (first match). */
  readonly migration: readonly MigrationCommands[];
  /** Absolute path of role.yaml, for messages. */
  readonly file: string;
}

export type DatabaseName = 'apim_db' | 'shared_db';
export const DATABASE_NAMES: readonly DatabaseName[] = ['apim_db', 'shared_db'];

export interface VersionedDatabases {
  /** semver range on apim.version. */
  readonly versions: string;
  readonly names: readonly DatabaseName[];
}

/** A TOML value as role.yaml writes it. */
export type ShippedValue = string | number | boolean | readonly (string | number | boolean)[];

export interface ShippedTables {
  readonly versions: string;
  /** `[table]` name → its keys, in file order. */
  readonly tables: Readonly<Record<string, Readonly<Record<string, ShippedValue>>>>;
  /** `[[table]]` name → one key map per entry. */
  readonly arrays: Readonly<Record<string, readonly Readonly<Record<string, ShippedValue>>[]>>;
}

/** Narrows an entry to some inventories: every given field must match. */
export interface When {
  /** semver range on apim.version, e.g. '>=4.6.0'. */
  readonly versions?: string;
  readonly databaseType?: 'postgresql' | 'mysql' | 'h2';
  readonly serviceManager?: 'script' | 'systemd';
  /** Only when the deployment has (true) or lacks (false) an internal CA. */
  readonly internalCa?: boolean;
  /** Only when the node has (true) or lacks (false) keystores of its own (inventory `keystores`). */
  readonly ownKeystores?: boolean;
  /** The inventory's `load_balancer` (nginx or haproxy). */
  readonly balancer?: BalancerKind;
  /** Only while a migration's clients are on this side (`migrate`'s switch; blue when none runs). */
  readonly clients?: 'blue' | 'green';
  /** Only while (true) or unless (false) the inventory names green partners (`green:`, a migration). */
  readonly migration?: boolean;
}

export const BALANCER_KINDS = ['nginx', 'haproxy'] as const;
export type BalancerKind = (typeof BALANCER_KINDS)[number];

/** 4.0–4.4 pick a profile inside one pack; 4.5+ ship separate distributions. */
export interface Wso2Variant {
  /** semver range, e.g. '>=4.0.0 <4.5.0'. */
  readonly versions: string;
  readonly distribution: DistributionKind;
  /** Relative to the component home, e.g. 'bin/gateway.sh'. */
  readonly script: string;
  readonly args: readonly string[];
}

export interface Wso2Runtime {
  readonly kind: 'wso2';
  /** `[server] server_role` in deployment.toml. */
  readonly serverRole: string;
  readonly variants: readonly Wso2Variant[];
  /** Relative to the component home. */
  readonly pidFile: string;
  readonly logFile: string;
  /** Relative to the component home; kept outside release dirs and linked in, so upgrades keep them. */
  readonly persistentDirs: readonly string[];
  /** What every WSO2 server shares (roles/wso2-server.yaml), attached when the catalog loads. */
  readonly server: Wso2ServerDefinition;
}

/**
 * A password WSO2 would read differently: holding `text`, any character of `anyOf`, or a control character.
 * `variables`: only these password variables (`database.password` for a field); `patterns`: only in these
 * patterns; absent: every one.
 */
export type PasswordRefusal = ({ readonly text: string } | { readonly anyOf: string } | { readonly control: true }) & {
  readonly why: string;
  readonly variables?: readonly string[];
  readonly patterns?: readonly string[];
};

/** Versions whose parts up to `schemaChangesWith` agree share one database schema; others need `migrateCommand`. */
export interface VersionPolicy {
  readonly schemaChangesWith: 'major' | 'minor' | 'patch';
  readonly migrateCommand: string;
}

/** roles/wso2-server.yaml: what every WSO2 server role shares. */
export interface Wso2ServerDefinition {
  /** The APIM versions apim-deploy can configure (a semver range). */
  readonly versions: string;
  /** Which version changes roll in place on the same databases, and what moves the others (roles/wso2-server.yaml). */
  readonly versionPolicy: VersionPolicy;
  /** Start and stop argv per service manager; `{launcher}` / `{launcher_args...}` are the variant's script and args. */
  readonly control: Readonly<Record<'script' | 'systemd', { readonly start: readonly string[]; readonly stop: readonly string[] }>>;
  /** The start script's environment (also rendered into wso2.env). */
  readonly env: Readonly<Record<string, string>>;
  /** Per distribution kind: its archive's one top directory is `<topDirPrefix><version>`. */
  readonly distributions: Readonly<Record<string, { readonly topDirPrefix: string }>>;
  /** What a password must not contain (a substring, or any control character), with why. */
  readonly passwordRefusals: readonly PasswordRefusal[];
  /** How deployment.toml names each shared database type: `type` infer.json knows, driver class, URL scheme and parameters. */
  readonly jdbc: Readonly<Record<'postgresql' | 'mysql', JdbcType>>;
  /** The file `deployment_toml` overrides merge into, and the keys apim-deploy's wiring owns there. */
  readonly deploymentToml: { readonly file: string; readonly owned: readonly OwnedTomlKey[] };
  /** JVM options (`jvm_options`) that would replace what the wiring sets: refused at validate. */
  readonly jvmOptions: { readonly owned: readonly OwnedJvmOption[] };
  /** Setups every WSO2 role runs alike, by key; a role's `setup` lists one as `- shared: <key>`, named `<role>-<key>`. */
  readonly setups: Readonly<Record<string, Omit<SetupSpec, 'name'>>>;
  /** Absolute path of the file, for messages. */
  readonly file: string;
}

/** A JVM option apim-deploy sets itself: `pattern` (a regular expression) matches it, `by` says what sets it. */
export interface OwnedJvmOption {
  readonly pattern: string;
  readonly by: string;
}

/** A deployment.toml key (and everything under it) that only `deployment_toml_force` lets an override set. */
export interface OwnedTomlKey {
  /** Dotted, bare names: `apim.throttling.url_group`. */
  readonly key: string;
  /** What writes it: the message tells the operator which setting to change instead. */
  readonly by: string;
  /** An array of tables others may append to (a second gateway environment); replacing it still needs force. */
  readonly appendable: boolean;
}

export interface JdbcType {
  readonly type: string;
  readonly driver: string;
  readonly scheme: string;
  /** Query parameters after `?` (empty: none), as the driver reads them (not XML-escaped). */
  readonly parameters: string;
}

/** A Debian service (nginx, PostgreSQL, MariaDB/MySQL), driven by argv lists. */
export interface ServiceVariant {
  readonly when?: When;
  readonly start: readonly string[];
  readonly stop: readonly string[];
  readonly reload: readonly string[];
  /** Exit 0 = running. */
  readonly isRunning: readonly string[];
  /** Optional config check run before a reload or restart (e.g. `nginx -t`). */
  readonly configTest?: readonly string[];
  readonly logFile: string;
  /** Debian packages the host must have. */
  readonly packages: readonly string[];
  /**
   * Account names this service keeps for itself (its superuser; `pg_*` ends in a wildcard): the inventory may not
   * hand one to WSO2, whose setup would reset its password.
   */
  readonly reservedUsers: readonly string[];
  /** The Debian package's systemd unit that starts it at boot, enabled when the node's service_manager is systemd. */
  readonly bootUnit?: string;
  /** Load balancers: how a rollout takes a node out and puts it back. */
  readonly balancer?: BalancerSpec;
}

/**
 * How a load balancer drains its servers (roles/load-balancer/role.yaml explains the fields): re-rendering its
 * config and reloading, or its runtime API. Servers are named `<upstream>/<address>:<port>`.
 */
export interface BalancerSpec {
  readonly drain: 'reload' | 'runtime';
  /** Prints `<upstream>/<address>:<port> <ready|drain|maint> <up|down|->`, one line per server. */
  readonly state: readonly string[];
  /** runtime: run with `maint`, `probe` or `ready`, then the servers. */
  readonly set?: readonly string[];
  /** Prints `<upstream>/<address>:<port> <n>`: requests in flight per server (a drain waits for 0); else open connections count. */
  readonly sessions?: readonly string[];
  /** `migrate --read-only-window`: the rule file the balancer's config includes while it exists. Absent: not supported. */
  readonly writeWindow?: WriteWindowSpec;
  /**
   * `migrate`'s switch without a reload: while this file exists the config sends clients to green (it renders both
   * sides' groups while the inventory names `green:`). A file of the role rendered while clients are on green.
   */
  readonly switchFlag?: string;
}

/** A file the role keeps in place without owning its content (role.yaml `present`). */
export interface PresentSpec {
  readonly dest: string;
  readonly mode: string;
  readonly owner: string;
  readonly group: string;
  readonly when: When;
}

/**
 * A file under templates/ copied as is to `dest`, where the balancer's config reads it. Without `runtime`, a reload
 * applies it and removing it lifts the rule (nginx). With `runtime`, the balancer's runtime API applies and lifts it,
 * no reload, and the file keeps the state for the next start (HAProxy's map).
 */
export interface WriteWindowSpec {
  readonly file: string;
  readonly dest: string;
  /** Run with `read-only` or `writable` appended: sets the running balancer, no reload, no connection closed. */
  readonly runtime?: readonly string[];
  /** `empty`: lifting leaves the file empty, since the config cannot load without it; `absent` (default): removed. */
  readonly lifted?: 'absent' | 'empty';
}

export interface ServiceRuntime {
  readonly kind: 'service';
  readonly variants: readonly ServiceVariant[];
}

/**
 * Escaper selection. `sql` is PostgreSQL, `mysql` MySQL/MariaDB. `conf` is for whitespace-separated config
 * files (pg_hba.conf, systemd units): values must be single tokens.
 */
export const FILE_FORMATS = ['toml', 'xml', 'properties', 'nginx', 'conf', 'text', 'shell', 'sql', 'mysql'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

export interface FileSpec {
  /** Relative to templates/, e.g. 'gateway/deployment.toml.eta'. */
  readonly template: string;
  /** Relative to the component home for WSO2 roles (unless absolute), absolute for service roles. */
  readonly dest: string;
  readonly format: FileFormat;
  readonly mode: string;
  /** May use placeholders, e.g. '{service_user}'. */
  readonly owner: string;
  readonly group: string;
  readonly onChange: 'restart' | 'reload' | 'none';
  readonly when?: When;
  /**
   * One file per item of a list of the node's context instead of one file: `crossRegionPeer` is each other
   * datacenter whose control planes this one publishes events to (`{region}` in dest names it; `it.peer` in the
   * template). Absent: one file.
   */
  readonly each?: FileEach;
  /** Constant values the template reads as `it.params` (so one template serves several files). */
  readonly params?: Readonly<Record<string, string>>;
}

export const FILE_EACH = ['crossRegionPeer'] as const;
export type FileEach = (typeof FILE_EACH)[number];

type TcpCheck = Extract<HealthCheck, { kind: 'tcp' }>;
/** A check as role.yaml writes it: a tcp port may be a name from the role's `ports`. */
export type HealthCheckSpec = (Exclude<HealthCheck, TcpCheck> | (Omit<TcpCheck, 'port'> & { readonly port: number | string })) & {
  readonly when?: When;
};

/** How rolling changes (upgrade, rollback, provision --rolling) take the role's nodes out of service. */
export interface UpgradePolicy {
  /** At most this many of the role's nodes at once, whatever `--batch` says; unset: `--batch` decides. */
  readonly maxBatch?: number;
}

export interface SetupSpec {
  readonly name: string;
  readonly when?: When;
  readonly argv: readonly string[];
  /** Written after success; the step is skipped while it exists. */
  readonly marker: string;
  /** A file inside the distribution that the command reads (`{script}` in argv): the provisioner uploads it. */
  readonly script?: string;
  /** Run again when one of these rendered files (dest, as in `files`) changed (the command is idempotent). */
  readonly rerunWhenChanged: readonly string[];
  /**
   * false (default): runs before the component starts, with its files in place (KM profile, a TLS key the
   * config names). true: runs once the component is up and healthy (database scripts need the server).
   */
  readonly whileRunning: boolean;
  /**
   * true: it reads and writes only the release it runs on (and the JDK) and needs no other component up, so when a
   * provision fills a new release in the staging wave, it runs there too and the start wave only starts and waits.
   * Its marker must lie inside the release. Never together with whileRunning.
   */
  readonly inRelease: boolean;
  /**
   * A password the command reads as its first stdin line (`IFS= read -r X`): it reaches neither a file on the host
   * nor an argv in the process list (keytool then takes it with -storepass:env).
   */
  readonly stdin?: SetupStdinSecret;
}

/** The node variables a setup may read on stdin: secrets only. */
export const SETUP_STDIN_SECRETS = ['truststore_password'] as const;
export type SetupStdinSecret = (typeof SETUP_STDIN_SECRETS)[number];

/**
 * Database commands of `migrate` (docs/migrate.md), for one database type. Placeholders: `{from_database}` (blue),
 * `{to_database}` (its green copy), `{backup}` (the backup file on the database host), `{script}` (a migration
 * script uploaded to the database host), and the node's own (`{database.user}`, `{state_dir}`).
 */
export interface MigrationCommands {
  readonly when?: When;
  /** Extension of a backup file (`apim_db-4.5.0-<time>.dump`). */
  readonly backupExtension: string;
  /** `user:group` owning the backup directory: the user `backup` writes as. */
  readonly backupOwner: string;
  /** Writes `{backup}` from `{from_database}`; blue keeps serving (a consistent snapshot, no lock on writers). */
  readonly backup: readonly string[];
  /** Creates the empty `{to_database}`, owned by the database user. */
  readonly create: readonly string[];
  /** Loads `{backup}` into `{to_database}`. */
  readonly restore: readonly string[];
  /**
   * Runs `{script}` on `{to_database}` as the database user and records `{step_record}` in that database, all in one
   * transaction: the record exists exactly when the script committed.
   */
  readonly script: readonly string[];
  /** Read-only: exits 0 when `{to_database}` holds the record `{step_record}` (that step's script committed). */
  readonly scriptDone: readonly string[];
  /** Per database, the migration script of one version step inside the target pack (`{step_from}`, `{step_to}`). */
  readonly scripts: Readonly<Record<DatabaseName, string>>;
}
