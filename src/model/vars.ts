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
  /** Bring-your-own keystores (src/inventory/tls-vars.ts); a null entry: the pack's wso2carbon.jks. */
  readonly keystores: KeystoreVars;
  /** Extra CA certificates (PEM files on the controller, relative to the inventory) every node trusts. */
  readonly truststore: readonly string[];
  /** The balancer's own certificate and key (PEM files); null: the internal CA issues one. */
  readonly load_balancer_tls: { readonly certificate: string; readonly key: string } | null;
  /** Drop-in files (src/inventory/drop-in-files.ts): merged across layers by destination, the later layer wins. */
  readonly files: readonly DropInFile[];
  /** deployment.toml overrides, one entry per layer that writes them, lowest first (src/model/toml-overrides.ts). */
  readonly deployment_toml: readonly TomlOverrideLayer[];
  /** Every layer's `deployment_toml_force` (the check reads them per layer, from deployment_toml). */
  readonly deployment_toml_force: readonly string[];
  /** Every layer's `deployment_toml_replace` (applied per layer, from deployment_toml). */
  readonly deployment_toml_replace: readonly string[];
  /** JVM options beyond the heap, every layer's list appended (lowest first): JAVA_OPTS of the start script. */
  readonly jvm_options: readonly string[];
  /** WSO2 secure vault (src/inventory/vault-vars.ts): deployment.toml passwords as `$secret{alias}`. */
  readonly secure_vault: boolean;
  /** Keep the keystore password in password-persist so starts apim-deploy does not perform (a reboot) find it. */
  readonly secure_vault_persist_password: boolean;
}

/** The 4.x keystore split: [keystore.primary], [keystore.tls] (defaults to primary) and [keystore.internal] (to primary). */
export interface KeystoreVars {
  readonly primary: KeystoreEntry | null;
  readonly tls: KeystoreEntry | null;
  readonly internal: KeystoreEntry | null;
}

export interface KeystoreEntry {
  /** As written: relative to the inventory file on the controller. */
  readonly file: string;
  readonly type: 'JKS' | 'PKCS12';
  readonly alias: string;
  readonly password: Secret;
  readonly key_password: Secret;
}

/** Where a drop-in file's `dest` is relative to: the release dir, the node's persistent data dir, or `/`. */
export type DropInRoot = 'release' | 'data' | 'absolute';

/** One `files:` entry, checked: a controller file placed on every WSO2 node whose layers hold it. */
export interface DropInFile {
  /** Absolute path on the controller. */
  readonly src: string;
  /** Normalised, relative to `root` (absolute when `root` is absolute); never climbs out of it. */
  readonly dest: string;
  readonly root: DropInRoot;
  /** Octal, 4 digits. */
  readonly mode: string;
  /** `user` or `user:group`; null: the node's service user and group. */
  readonly owner: string | null;
  /** true: rendered with eta like our templates (format from the file name); false: copied byte for byte. */
  readonly template: boolean;
  /** Where the entry is written in the inventory (a DocPath), for file:line messages. */
  readonly at: readonly (string | number)[];
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
