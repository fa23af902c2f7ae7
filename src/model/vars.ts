import type { Secret } from './secret.js';
import type { TomlOverrideLayer } from './toml-overrides.js';

/**
 * The variables one node (a host playing a role) runs with, after the inventory is normalised: every layer merged
 * and every default applied, once, by src/inventory (the table and the precedence are in src/inventory/variables.ts).
 * Keys are spelt as in the inventory. Adding a variable is one field here and one entry in that table.
 */
export interface NodeVars {
  readonly admin_username: string;
  /** null on nodes that run no WSO2 server (validate requires it on every WSO2 node). */
  readonly admin_password: Secret | null;
  readonly keystore_password: Secret;
  readonly truststore_password: Secret;
  readonly database: DatabaseVars;
  readonly public_hostname: PublicHostnames;
  readonly jvm_heap: string;
  readonly install_dir: string;
  readonly service_user: string;
  readonly service_group: string;
  readonly service_manager: 'script' | 'systemd';
  readonly gateway_environment: string;
  readonly java_home: string;
  /** Which balancer the load-balancer role runs: nginx (default) or haproxy. */
  readonly load_balancer: 'nginx' | 'haproxy';
  /** deployment.toml overrides, one entry per layer that writes them, lowest first (src/model/toml-overrides.ts). */
  readonly deployment_toml: readonly TomlOverrideLayer[];
  /** Every layer's `deployment_toml_force` (the check reads them per layer, from deployment_toml). */
  readonly deployment_toml_force: readonly string[];
  /** Every layer's `deployment_toml_replace` (applied per layer, from deployment_toml). */
  readonly deployment_toml_replace: readonly string[];
  /** JVM options beyond the heap, every layer's list appended (lowest first): JAVA_OPTS of the start script. */
  readonly jvm_options: readonly string[];
}

export type DatabaseType = 'postgresql' | 'mysql' | 'h2';

/** The shared databases (apim_db, shared_db). `host`, `user` and `password` are set unless `type` is h2. */
export interface DatabaseVars {
  readonly type: DatabaseType;
  /** As written (an inventory host name or an outside DNS name / IP), or the database host of the layout. */
  readonly host: string | null;
  readonly port: number;
  readonly apim_db: string;
  readonly shared_db: string;
  readonly user: string | null;
  readonly password: Secret | null;
  readonly replicated: boolean;
}

/** Names clients use, as written; null = derived from the layout (see src/topology/doors.ts). */
export interface PublicHostnames {
  readonly control_plane: string | null;
  readonly gateway: string | null;
  /** The balancer in front of separate key managers (pattern 4/5); null: our load balancer, else the first one. */
  readonly key_manager: string | null;
}
