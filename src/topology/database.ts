import { ConfigError } from '../errors.js';
import type { HostSpec } from '../model/inventory.js';
import type { Member, MemberIndex } from './members.js';
import type { DatabaseServerContext, JdbcRef } from './types.js';
import { nodeVars, type DatabaseVars } from './vars.js';

const DRIVERS = { postgresql: 'org.postgresql.Driver', mysql: 'com.mysql.cj.jdbc.Driver' } as const;
/** What the packs ship for H2 (reference §8): WSO2AM_DB and WSO2SHARED_DB under repository/database. */
const H2_FILES = { apim: 'WSO2AM_DB', shared: 'WSO2SHARED_DB' } as const;

/** The host the database lives on: `database.host` (an inventory host or an external name), else the database node. */
export function databaseAddress(index: MemberIndex, who: HostSpec, db: DatabaseVars): string {
  if (db.host !== null) return index.hostByNameOrAddress(db.host)?.address ?? db.host;
  const found = index.firstPresent(['database'], who.datacenter ?? null).members[0];
  if (found) return found.address;
  throw new ConfigError(
    `${who.pos.file}:${who.pos.line}: host ${who.name} needs database.host: no database role in the inventory`,
    [{ ...who.pos, path: `hosts.${who.name}`, message: 'set vars.database.host, or give a host the database role' }],
  );
}

function jdbcUrl(type: 'postgresql' | 'mysql', address: string, port: number, name: string): string {
  const host = address.includes(':') ? `[${address}]` : address;
  return type === 'postgresql'
    ? `jdbc:postgresql://${host}:${port}/${name}`
    : `jdbc:mysql://${host}:${port}/${name}?useSSL=false&allowPublicKeyRetrieval=true`;
}

export function jdbcRefs(index: MemberIndex, self: Member, vars: { database: DatabaseVars }): { apim: JdbcRef; shared: JdbcRef } {
  const db = vars.database;
  if (db.type === 'h2') {
    const h2 = (file: string): JdbcRef => ({
      type: 'h2',
      url: `jdbc:h2:./repository/database/${file};DB_CLOSE_ON_EXIT=FALSE`,
      username: 'wso2carbon',
      password: 'wso2carbon',
      driver: null,
    });
    return { apim: h2(H2_FILES.apim), shared: h2(H2_FILES.shared) };
  }
  const address = databaseAddress(index, self.host, db);
  const ref = (name: string): JdbcRef => ({
    type: db.type,
    url: jdbcUrl(db.type as 'postgresql' | 'mysql', address, db.port, name),
    username: db.user,
    password: db.password,
    driver: DRIVERS[db.type as 'postgresql' | 'mysql'],
  });
  return { apim: ref(db.apimDb), shared: ref(db.sharedDb) };
}

const DB_CLIENT_ROLES = ['control-plane', 'all-in-one', 'key-manager'] as const;

/** The database node's side: names, credentials and the WSO2 hosts that connect to it. */
export function databaseServerContext(index: MemberIndex, self: Member): DatabaseServerContext {
  const db = nodeVars(index.inv, self.host, self.role).database;
  if (db.type === 'h2') {
    throw new ConfigError(`host ${self.host.name} has the database role but database.type is h2`, [
      { ...self.host.pos, path: `hosts.${self.host.name}`, message: 'set vars.database.type to postgresql or mysql' },
    ]);
  }
  const clients: string[] = [];
  for (const { host, role } of index.allNodes()) {
    if (!(DB_CLIENT_ROLES as readonly string[]).includes(role)) continue;
    const theirs = nodeVars(index.inv, host, role).database;
    if (theirs.type === 'h2' || databaseAddress(index, host, theirs) !== self.address) continue;
    const cidr = /^\d+\.\d+\.\d+\.\d+$/.test(host.address) ? `${host.address}/32` : host.address.includes(':') ? `${host.address}/128` : host.address;
    if (!clients.includes(cidr)) clients.push(cidr);
  }
  return { type: db.type, port: db.port, apimDb: db.apimDb, sharedDb: db.sharedDb, user: db.user, password: db.password, clients };
}
