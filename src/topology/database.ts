import type { DatabaseVars } from '../model/vars.js';
import { bracket } from './doors.js';
import type { Member, MemberIndex } from './members.js';
import type { DatabaseServerContext, JdbcRef } from './types.js';

const DRIVERS = { postgresql: 'org.postgresql.Driver', mysql: 'com.mysql.cj.jdbc.Driver' } as const;
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

function jdbcUrl(type: 'postgresql' | 'mysql', address: string, port: number, name: string): string {
  return type === 'postgresql'
    ? `jdbc:postgresql://${bracket(address)}:${port}/${name}`
    : `jdbc:mysql://${bracket(address)}:${port}/${name}?useSSL=false&allowPublicKeyRetrieval=true`;
}

export function jdbcRefs(index: MemberIndex, self: Member): { apim: JdbcRef; shared: JdbcRef } {
  const db = shared(self.node.vars.database);
  if (!db) {
    const h2 = (file: string): JdbcRef => ({
      type: 'h2',
      url: `jdbc:h2:./repository/database/${file};DB_CLOSE_ON_EXIT=FALSE`,
      username: 'wso2carbon',
      password: 'wso2carbon',
      driver: null,
    });
    return { apim: h2(H2_FILES.apim), shared: h2(H2_FILES.shared) };
  }
  const address = databaseAddress(index, db);
  const ref = (name: string): JdbcRef => ({
    type: db.type,
    url: jdbcUrl(db.type, address, db.port, name),
    username: db.user,
    password: db.password!,
    driver: DRIVERS[db.type],
  });
  return { apim: ref(db.apim_db), shared: ref(db.shared_db) };
}

/** The database node's side: names, credentials and the WSO2 hosts that connect to it (roles that are database clients). */
export function databaseServerContext(index: MemberIndex, self: Member): DatabaseServerContext {
  const db = shared(self.node.vars.database);
  if (!db) throw new Error(`${self.host.name} plays the database role with database.type h2, which validate refuses`);
  const clients: string[] = [];
  for (const node of index.inv.nodes) {
    if (!index.catalog[node.role].databaseClient) continue;
    const theirs = shared(node.vars.database);
    if (!theirs || databaseAddress(index, theirs) !== self.address) continue;
    const address = index.hostSpec(node.host).address;
    const cidr = /^\d+\.\d+\.\d+\.\d+$/.test(address) ? `${address}/32` : address.includes(':') ? `${address}/128` : address;
    if (!clients.includes(cidr)) clients.push(cidr);
  }
  return { type: db.type, port: db.port, apimDb: db.apim_db, sharedDb: db.shared_db, user: db.user, password: db.password!, clients };
}
