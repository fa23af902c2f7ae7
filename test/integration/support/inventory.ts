/**
 * Inventories for lab tests, written as YAML into a workspace: host addresses, the SSH key and known_hosts come
 * from the lab, distribution paths from the workspace. Tests change a spec and call `writeDeployment` again.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { TestLab } from './lab.js';
import type { Workspace } from './workspace.js';
import { packFile, parseRelease } from '../../support/release-label.js';

export interface DeploymentSpec {
  readonly name: string;
  readonly pattern: string | number;
  /** Host name → host vars (empty object for none). Addresses come from the lab. */
  readonly hosts: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Other keys per host, e.g. `{ 'km-1': { port_offsets: { 'traffic-manager': 1 } } }`. */
  readonly hostOptions?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Role → host names (omit when `datacenters` assigns roles). */
  readonly roles?: Readonly<Record<string, readonly string[]>>;
  readonly datacenters?: Readonly<Record<string, unknown>>;
  /** Inventory-wide vars, merged over `baseVars` (secrets as `${NAME}` references to the .env). */
  readonly vars?: Readonly<Record<string, unknown>>;
  /** Extra keys under `apim:` (e.g. `jdbc_driver`). */
  readonly apim?: Readonly<Record<string, unknown>>;
  /** The release: `4.6.0`, or `4.6.0.12` for update level 12 (test/support/release-label.ts). */
  readonly version?: string;
  /** Merged over the lab's connection defaults (user deploy with become: sudo, its key and known_hosts, its bastion). */
  readonly defaults?: Readonly<Record<string, unknown>>;
  /** .env lines, merged over `BASE_SECRETS`. */
  readonly secrets?: Readonly<Record<string, string>>;
}

export const BASE_SECRETS: Readonly<Record<string, string>> = {
  ADMIN_PASSWORD: 'it-Admin-pw1',
  // The simulated and the real packs ship their JKS files with this password.
  KEYSTORE_PASSWORD: 'wso2carbon',
  TRUSTSTORE_PASSWORD: 'wso2carbon',
  DB_PASSWORD: 'it-Db-pw1',
};

/** Vars every lab inventory carries; a small heap so many simulated nodes fit the test machine. */
export function baseVars(database: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return {
    admin_password: '${ADMIN_PASSWORD}',
    keystore_password: '${KEYSTORE_PASSWORD}',
    truststore_password: '${TRUSTSTORE_PASSWORD}',
    database,
    jvm_heap: '256m',
  };
}

/** PostgreSQL on `host`, the user's password from the .env's DB_PASSWORD. */
export const postgres = (host: string) => ({ type: 'postgresql', host, user: 'apimadmin', password: '${DB_PASSWORD}' });

/** The lab dist's stand-in driver for a PostgreSQL/MySQL inventory (validate requires apim.jdbc_driver there). */
function standInDriver(spec: DeploymentSpec): string | undefined {
  const dbs = [spec.vars?.['database'], ...Object.values(spec.datacenters ?? {}).map((d) => (d as { vars?: Record<string, unknown> }).vars?.['database'])];
  const type = dbs.map((d) => (d as { type?: string } | undefined)?.type).find((t) => t === 'postgresql' || t === 'mysql');
  return type ? `jdbc-${type}-sim.jar` : undefined;
}

export function inventoryDocument(spec: DeploymentSpec, lab: TestLab, ws: Workspace): Record<string, unknown> {
  const dist = (file: string) => ({ path: join(ws.distDir, file) });
  const driver = standInDriver(spec);
  const release = spec.version ?? '4.6.0';
  return {
    name: spec.name,
    pattern: spec.pattern,
    apim: {
      version: parseRelease(release).version,
      distributions: {
        acp: dist(packFile('wso2am-acp-', release)),
        'universal-gw': dist(packFile('wso2am-universal-gw-', release)),
        tm: dist(packFile('wso2am-tm-', release)),
        'all-in-one': dist(packFile('wso2am-', release)),
      },
      jdk: dist('jdk-17.tar.gz'),
      ...(driver ? { jdbc_driver: dist(driver) } : {}),
      ...spec.apim,
    },
    defaults: { ...labLogin(lab), ...spec.defaults },
    vars: spec.vars ?? {},
    hosts: Object.fromEntries(Object.entries(spec.hosts).map(([h, vars]) =>
      [h, { address: lab.address(h), ...spec.hostOptions?.[h], ...(Object.keys(vars).length > 0 ? { vars } : {}) }])),
    ...(spec.roles ? { roles: spec.roles } : {}),
    ...(spec.datacenters ? { datacenters: spec.datacenters } : {}),
  };
}

/** How the lab is logged in to, as its hosts.yaml fragment says: deploy, sudo (with the password), the bastion. */
export function labLogin(lab: TestLab): Record<string, unknown> {
  return {
    user: 'deploy', port: 22, ssh_key: lab.sshKey, known_hosts: lab.knownHosts, become: 'sudo',
    ...(lab.sudoPassword ? { become_password: '${SUDO_PASSWORD}' } : {}),
    ...(lab.bastion ? { proxy_jump: `deploy@${lab.bastion}:22` } : {}),
  };
}

export interface DeploymentFiles {
  readonly inventory: string;
  readonly envFile: string;
}

/** Writes `<name>.yaml` and `<name>.env` (the CLI's default env file) into the workspace. */
export function writeDeployment(spec: DeploymentSpec, lab: TestLab, ws: Workspace): DeploymentFiles {
  const inventory = join(ws.dir, `${spec.name}.yaml`);
  const envFile = join(ws.dir, `${spec.name}.env`);
  writeFileSync(inventory, stringify(inventoryDocument(spec, lab, ws)));
  const secrets = { ...BASE_SECRETS, ...(lab.sudoPassword ? { SUDO_PASSWORD: lab.sudoPassword } : {}), ...spec.secrets };
  writeFileSync(envFile, Object.entries(secrets).map(([k, v]) => `${k}=${v}\n`).join(''), { mode: 0o600 });
  return { inventory, envFile };
}
