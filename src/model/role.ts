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
  /** Base ports (WSO2 roles add the node's offset). For facts and conflict checks. */
  readonly ports: readonly number[];
  readonly health: { readonly checks: readonly HealthCheckSpec[]; readonly policy: HealthPolicy };
  readonly upgrade: UpgradePolicy;
  /** One-time commands (guarded by a marker file), in order, before the first start. */
  readonly setup: readonly SetupSpec[];
  /** Absolute path of role.yaml, for messages. */
  readonly file: string;
}

/** Narrows an entry to some inventories: every given field must match. */
export interface When {
  /** semver range on apim.version, e.g. '>=4.6.0'. */
  readonly versions?: string;
  readonly databaseType?: 'postgresql' | 'mysql' | 'h2';
  readonly serviceManager?: 'script' | 'systemd';
}

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
  readonly variants: readonly Wso2Variant[];
  /** Relative to the component home. */
  readonly pidFile: string;
  readonly logFile: string;
  /** Relative to the component home; kept outside release dirs and linked in, so upgrades keep them. */
  readonly persistentDirs: readonly string[];
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
}

export type HealthCheckSpec = HealthCheck & { readonly when?: When };

export interface UpgradePolicy {
  /** Nodes per batch: a count or a percentage of the role's nodes (at least one). */
  readonly batch: number | `${number}%`;
  /** Take the node out of the load balancer before stopping it. */
  readonly drainFirst: boolean;
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
}
