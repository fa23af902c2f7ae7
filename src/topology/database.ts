import { databasesAt, wso2Server } from '../catalog/variants.js';
import type { DatabaseName } from '../model/role.js';
import type { DatabaseVars } from '../model/vars.js';
import { bracket } from './doors.js';
import type { Member, MemberIndex } from './members.js';
import type { DatabaseServerContext, JdbcRef } from './types.js';
/** What the packs ship for H2 (reference §8): WSO2AM_DB and WSO2SHARED_DB under repository/database. */
const H2_FILES = { apim: 'WSO2AM_DB', shared: 'WSO2SHARED_DB' } as const;

type SharedDatabase = DatabaseVars & { readonly type: 'postgresql' | 'mysql'; readonly host: string; readonly user: string };

/** A PostgreSQL/MySQL database: validate guarantees host, user and password (src/inventory/rules/database.ts). */
function shared(db: DatabaseVars): SharedDatabase | null {
  if (db.type === 'h2') return null;
  if (db.host === null || db.user === null || db.password === null) throw new Error('database host, user and password are set by validate');
  return db as SharedDatabase;
}

/** The address of the database host: `database.host` is an inventory host (its address) or an outside name. */
function databaseAddress(index: MemberIndex, db: SharedDatabase): string {
  return index.hostByNameOrAddress(db.host)?.address ?? db.host;
}

/** The databases `m` opens at the inventory's version (role.yaml `databases`). */
export const databasesOf = (index: MemberIndex, m: { readonly role: Member['role'] }): readonly DatabaseName[] =>
  databasesAt(index.catalog[m.role], index.inv.apim.version);

/**
 * `[database.apim_db]` / `[database.shared_db]` of a node, only those its role names at this version. Values are as
 * the driver must read them: the template escapes them for master-datasources.xml (findings i10 §5).
 */
export function jdbcRefs(index: MemberIndex, self: Member): { apim: JdbcRef | null; shared: JdbcRef | null } | null {
  const names = databasesOf(index, self);
  if (names.length === 0) return null;
  const db = shared(self.node.vars.database);
  const pick = (id: DatabaseName, ref: (id: DatabaseName) => JdbcRef): JdbcRef | null => (names.includes(id) ? ref(id) : null);
  if (!db) {
    const h2 = (id: DatabaseName): JdbcRef => ({
      type: 'h2',
      url: `jdbc:h2:./repository/database/${id === 'apim_db' ? H2_FILES.apim : H2_FILES.shared};DB_CLOSE_ON_EXIT=FALSE`,
      username: 'wso2carbon',
      password: 'wso2carbon',
      driver: null, // as the packs ship it: infer.json gives h2 its driver
    });
    return { apim: pick('apim_db', h2), shared: pick('shared_db', h2) };
  }
  const address = databaseAddress(index, db);
  const jdbc = wso2Server(index.catalog).jdbc[db.type];
  const ref = (id: DatabaseName): JdbcRef => ({
    type: jdbc.type,
    url: `${jdbc.scheme}://${bracket(address)}:${db.port}/${id === 'apim_db' ? db.apim_db : db.shared_db}${jdbc.parameters ? `?${jdbc.parameters}` : ''}`,
    username: db.user,
    password: db.password!,
    driver: jdbc.driver,
  });
  return { apim: pick('apim_db', ref), shared: pick('shared_db', ref) };
}

/** The database node's side: names, credentials and the WSO2 hosts that connect to it (roles that are database clients). */
export function databaseServerContext(index: MemberIndex, self: Member): DatabaseServerContext {
  const db = shared(self.node.vars.database);
  if (!db) throw new Error(`${self.host.name} plays the database role with database.type h2, which validate refuses`);
  const clients: string[] = [];
  const grants: { client: string; databases: string }[] = [];
  const grant = (address: string, databases: readonly string[]): void => {
    const cidr = /^\d+\.\d+\.\d+\.\d+$/.test(address) ? `${address}/32` : address.includes(':') ? `${address}/128` : address;
    const names = databases.join(',');
    if (!clients.includes(cidr)) clients.push(cidr);
    if (!grants.some((g) => g.client === cidr && g.databases === names)) grants.push({ client: cidr, databases: names });
  };
  for (const node of index.inv.nodes) {
    if (databasesOf(index, node).length === 0) continue;
    const theirs = shared(node.vars.database);
    if (!theirs || databaseAddress(index, theirs) !== self.address) continue;
    grant(index.hostSpec(node.host).address, [theirs.apim_db, theirs.shared_db]);
  }
  for (const kept of index.inv.retainedDatabaseClients ?? []) grant(kept.address, kept.databases);
  // One order whichever environment renders it: during a migration blue's and green's inventories grant the same
  // clients (each its own nodes, then the other's), and must write the same file or each run would undo the other's.
  const byClient = (a: { client: string; databases: string }, b: { client: string; databases: string }) =>
    a.client.localeCompare(b.client, 'en', { numeric: true }) || a.databases.localeCompare(b.databases);
  return { type: db.type, port: db.port, apimDb: db.apim_db, sharedDb: db.shared_db, user: db.user, password: db.password!,
    clients: [...clients].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })), grants: [...grants].sort(byClient) };
}
