import { ConfigError } from '../errors.js';
import type { HostSpec, Inventory, RoleName, VarValue, Vars } from '../model/inventory.js';
import { isSecret, type Secret } from '../model/secret.js';

/** A value that may be a secret: templates pass it to the escaper, which reveals it only into the file. */
export type MaybeSecret = string | Secret;

export interface DatabaseVars {
  readonly type: 'postgresql' | 'mysql' | 'h2';
  /** As written: an inventory host name or an external DNS name / IP. */
  readonly host: string | null;
  readonly port: number;
  readonly apimDb: string;
  readonly sharedDb: string;
  readonly user: string;
  readonly password: MaybeSecret;
  readonly replicated: boolean;
}

/** Effective variables of one node (host > role > datacenter > global > default). */
export interface NodeVars {
  readonly adminUsername: string;
  readonly adminPassword: MaybeSecret | null;
  readonly keystorePassword: MaybeSecret;
  readonly truststorePassword: MaybeSecret;
  readonly database: DatabaseVars;
  /** Explicitly set names (null = derive from the layout). */
  readonly publicHostname: { readonly controlPlane: string | null; readonly gateway: string | null };
  readonly jvmHeap: string;
  readonly installDir: string;
  readonly serviceUser: string;
  readonly serviceGroup: string;
  readonly serviceManager: 'script' | 'systemd';
  readonly gatewayEnvironment: string;
  readonly javaHome: string;
}

const OBJECT_VARS = new Set(['database', 'public_hostname']);

/** Merge the var layers, lowest first; `database` and `public_hostname` merge key by key. */
export function layeredVars(inv: Inventory, host: HostSpec, role: RoleName): Record<string, VarValue> {
  const dc = host.datacenter ? inv.datacenters.find((d) => d.name === host.datacenter) : undefined;
  const layers: (Vars | undefined)[] = [inv.vars, dc?.vars, inv.roleVars[role], host.vars];
  const out: Record<string, VarValue> = {};
  for (const layer of layers) {
    for (const [k, v] of Object.entries(layer ?? {})) {
      const prev = out[k];
      out[k] = OBJECT_VARS.has(k) && isPlainObject(prev) && isPlainObject(v) ? { ...prev, ...v } : v;
    }
  }
  return out;
}

export function nodeVars(inv: Inventory, host: HostSpec, role: RoleName): NodeVars {
  const raw = layeredVars(inv, host, role);
  const where = `${host.pos.file}:${host.pos.line}: host ${host.name} (${role})`;
  const fail = (msg: string): never => {
    throw new ConfigError(`${where}: ${msg}`, [{ ...host.pos, path: `hosts.${host.name}`, message: msg }]);
  };
  const text = (name: string, dflt: string): string => {
    const v = raw[name];
    if (v === undefined) return dflt;
    if (typeof v === 'string' || typeof v === 'number') return String(v);
    return fail(`variable ${name} must be a plain string`);
  };
  const secretish = (v: VarValue | undefined, name: string): MaybeSecret | null => {
    if (v === undefined) return null;
    if (typeof v === 'string' || isSecret(v)) return v;
    return fail(`variable ${name} must be a string`);
  };
  const installDir = text('install_dir', '/opt/wso2');
  const db = isPlainObject(raw.database) ? raw.database : {};
  const type = db.type === undefined ? 'h2' : String(db.type);
  if (type !== 'postgresql' && type !== 'mysql' && type !== 'h2') fail(`database.type must be postgresql, mysql or h2`);
  const dbType = type as DatabaseVars['type'];
  const ph = isPlainObject(raw.public_hostname) ? raw.public_hostname : {};
  const manager = text('service_manager', 'script');
  if (manager !== 'script' && manager !== 'systemd') fail('service_manager must be script or systemd');
  return {
    adminUsername: text('admin_username', 'admin'),
    adminPassword: secretish(raw.admin_password, 'admin_password'),
    keystorePassword: secretish(raw.keystore_password, 'keystore_password') ?? 'wso2carbon',
    truststorePassword: secretish(raw.truststore_password, 'truststore_password') ?? 'wso2carbon',
    database: {
      type: dbType,
      host: db.host === undefined ? null : String(db.host),
      port: typeof db.port === 'number' ? db.port : dbType === 'mysql' ? 3306 : 5432,
      apimDb: db.apim_db === undefined ? 'apim_db' : String(db.apim_db),
      sharedDb: db.shared_db === undefined ? 'shared_db' : String(db.shared_db),
      user: db.user === undefined ? 'apimadmin' : String(db.user),
      password: secretish(db.password, 'database.password') ?? (dbType === 'h2' ? 'wso2carbon' : fail('database.password is required')),
      replicated: db.replicated === true,
    },
    publicHostname: {
      controlPlane: ph.control_plane === undefined ? null : String(ph.control_plane),
      gateway: ph.gateway === undefined ? null : String(ph.gateway),
    },
    jvmHeap: text('jvm_heap', '1g'),
    installDir,
    serviceUser: text('service_user', 'wso2carbon'),
    serviceGroup: text('service_group', 'wso2'),
    serviceManager: manager as NodeVars['serviceManager'],
    gatewayEnvironment: text('gateway_environment', 'Default'),
    javaHome: text('java_home', `${installDir}/jdk/current`),
  };
}

function isPlainObject(v: unknown): v is Record<string, VarValue> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isSecret(v);
}
