import { databasesAt, isWso2Role } from '../../catalog/variants.js';
import type { DocPath } from '../../yaml/source.js';
import type { LayoutDraft } from '../layout.js';
import { databaseGroups } from '../nodes.js';
import { patternLabel, type RuleContext } from './context.js';

type Db = Readonly<Record<string, unknown>>;

/**
 * `database` is one per deployment (global vars, or per datacenter: VARIABLES gives it that scope). Checks each
 * database definition, as its nodes resolve it (defaults and layers applied), against the layouts that share it.
 */
export function checkDatabase(ctx: RuleContext): void {
  for (const group of databaseGroups(ctx.layouts)) {
    const node = ctx.nodes.find((n) => group.includes(n.layout));
    if (!node) continue;
    const own = group.length === 1 && group[0]!.vars['database'] !== undefined;
    const at: DocPath = own ? [...group[0]!.at.slice(0, -1), 'vars', 'database'] : ['vars', 'database'];
    checkOne(ctx, group, node.vars.values['database'] as Db, node.vars.origin.has('database'), at);
  }
}

function checkOne(ctx: RuleContext, layouts: readonly LayoutDraft[], db: Db, written: boolean, at: DocPath): void {
  const { src, pattern } = ctx;
  const dbHosts = layouts.flatMap((l) => l.roles.database ?? []);
  const layout = layouts.length === 1 ? layouts[0]! : { datacenter: undefined };
  const label = patternLabel(pattern);
  const wso2Nodes = ctx.nodes.filter((n) => layouts.includes(n.layout) && isWso2Role(ctx.catalog[n.role])).length;
  if (db['type'] === null) {
    if (written) return void (src.hasIssueUnder([...at, 'type']) || src.add(at, "required key 'type' is missing: add type: postgresql (or mysql)"));
    if (wso2Nodes > 0) src.add(at.slice(0, -1), `${label} needs vars.database: add database: { type: postgresql, host: <db host>, user: apim, password: \${DB_PASSWORD} }`, 'key');
    return;
  }
  if (db['type'] === 'h2') {
    if (!pattern.h2Allowed) src.add([...at, 'type'], `h2 is an embedded single-node database and ${label} shares one database between nodes: use postgresql or mysql`);
    else if (wso2Nodes > 1) src.add([...at, 'type'], 'h2 is embedded in one node and cannot be shared by several WSO2 nodes: use postgresql or mysql');
    if (dbHosts.length > 0) src.add([...at, 'type'], `hosts ${dbHosts.join(', ')} play the database role but database.type is h2: use postgresql or mysql, or drop the database role`);
    return;
  }
  for (const key of ['host', 'user', 'password']) {
    if (db[key] === null && !src.hasIssueUnder([...at, key])) src.add(at, `required key '${key}' is missing from database: add ${key}: ${key === 'password' ? '${DB_PASSWORD}' : '...'}`);
  }
  const host = typeof db['host'] === 'string' ? db['host'] : undefined;
  if (host !== undefined && ctx.hosts.has(host) && !dbHosts.includes(host)) {
    src.add([...at, 'host'], `host '${host}' is in the inventory but does not play the database role${layout.datacenter ? ` in '${layout.datacenter}'` : ''}: add it to database, or name an external database host`);
  } else if (host !== undefined && dbHosts.length > 0 && !dbHosts.includes(host)) {
    src.add([...at, 'host'], `the database role runs on ${dbHosts.join(', ')} but database.host is '${host}': point it at that host`);
  }
  if (pattern.datacenters?.replicatedDatabase) {
    if (db['replicated'] !== true) src.add(at, `${label} needs a bi-directionally replicated database per datacenter: set replicated: true once replication is in place`);
    if (db['type'] === 'mysql') src.add([...at, 'type'], 'multi-DC replication is tested upstream only with PostgreSQL, Oracle and MSSQL: use postgresql');
  }
}

const DRIVER_JAR: Readonly<Record<string, string>> = { postgresql: 'postgresql-42.7.4.jar', mysql: 'mysql-connector-j-8.4.0.jar' };

/**
 * The packs ship no PostgreSQL or MySQL driver (findings i10 §4): every node that opens the databases needs the jar in
 * repository/components/lib, which apim-deploy copies from `apim.jdbc_driver`. Without it those nodes never start.
 */
export function checkJdbcDriver(ctx: Pick<RuleContext, 'src' | 'nodes' | 'catalog'>, version: string | undefined, driverWritten: boolean): void {
  if (driverWritten || version === undefined) return;
  const users = new Map<string, string[]>();
  for (const n of ctx.nodes) {
    const type = (n.vars.values['database'] as Db | undefined)?.['type'];
    if ((type !== 'postgresql' && type !== 'mysql') || databasesAt(ctx.catalog[n.role], version).length === 0) continue;
    const roles = users.get(type) ?? [];
    if (!roles.includes(n.role)) roles.push(n.role);
    users.set(type, roles);
  }
  for (const [type, roles] of users) {
    ctx.src.add(['apim'],
      `database.type ${type}: ${roles.join(', ')} open the database and the packs ship no ${type} JDBC driver: ` +
      `add jdbc_driver: { path: <the driver jar, e.g. ${DRIVER_JAR[type]}> } (lab: ../dist/jdbc-${type}-sim.jar from apim-deploy lab dist)`, 'key');
  }
}
