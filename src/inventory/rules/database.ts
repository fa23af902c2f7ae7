import { WSO2_ROLES, type RoleName, type VarValue } from '../../model/inventory.js';
import type { DocPath } from '../source.js';
import type { LayoutDraft } from '../layout.js';
import { patternLabel, type RuleContext } from './context.js';

type Db = Record<string, VarValue>;
const DEFAULT_PORT: Record<string, number> = { postgresql: 5432, mysql: 3306 };

/**
 * `database` is set per deployment (global vars, or per datacenter), never per host or role.
 * Checks it against the layout and fills its defaults in place (port, apim_db, shared_db, host).
 */
export function checkDatabase(ctx: RuleContext): void {
  const { src } = ctx;
  for (const [role, vars] of Object.entries(ctx.roleVars)) {
    if (vars?.['database'] !== undefined) src.add(['role_vars', role, 'database'], 'database is one per deployment: move it to vars (or datacenters.<dc>.vars)', 'key');
  }
  for (const host of ctx.hosts.values()) {
    if (host.vars['database'] !== undefined) src.add(['hosts', host.name, 'vars', 'database'], 'database is one per deployment: move it to vars (or datacenters.<dc>.vars)', 'key');
  }
  const globalVars = ctx.vars as Record<string, VarValue>;
  if (globalVars['database'] === undefined && ctx.pattern.h2Allowed && wso2Nodes(ctx.layouts) <= 1) globalVars['database'] = { type: 'h2' };
  // A datacenter with its own database is checked against its own hosts; the global one against all the rest.
  const own = ctx.layouts.filter((l) => l.vars['database'] !== undefined);
  const rest = ctx.layouts.filter((l) => l.vars['database'] === undefined);
  for (const layout of own) checkOne(ctx, [layout], layout.vars['database'] as Db, [...layout.at.slice(0, -1), 'vars', 'database']);
  if (rest.length > 0) checkOne(ctx, rest, globalVars['database'] as Db | undefined, ['vars', 'database']);
}

function checkOne(ctx: RuleContext, layouts: readonly LayoutDraft[], db: Db | undefined, at: DocPath): void {
  const { src, pattern } = ctx;
  const dbHosts = layouts.flatMap((l) => l.roles.database ?? []);
  const layout = layouts.length === 1 ? layouts[0]! : { datacenter: undefined };
  const label = patternLabel(pattern);
  if (db === undefined) {
    if (wso2Nodes(layouts) === 0) return;
    src.add(at.slice(0, -1), `${label} needs vars.database: add database: { type: postgresql, host: <db host>, user: apim, password: \${DB_PASSWORD} }`, 'key');
    return;
  }
  if (db['type'] === undefined) return void (src.hasIssueUnder([...at, 'type']) || src.add(at, "required key 'type' is missing: add type: postgresql (or mysql)"));
  if (db['type'] === 'h2') {
    if (!pattern.h2Allowed) src.add([...at, 'type'], `h2 is an embedded single-node database and ${label} shares one database between nodes: use postgresql or mysql`);
    else if (wso2Nodes(layouts) > 1) src.add([...at, 'type'], 'h2 is embedded in one node and cannot be shared by several WSO2 nodes: use postgresql or mysql');
    if (dbHosts.length > 0) src.add([...at, 'type'], `hosts ${dbHosts.join(', ')} play the database role but database.type is h2: use postgresql or mysql, or drop the database role`);
    return;
  }
  if (db['host'] === undefined && dbHosts.length === 1) db['host'] = dbHosts[0]!;
  db['port'] ??= DEFAULT_PORT[String(db['type'])]!;
  db['apim_db'] ??= 'apim_db';
  db['shared_db'] ??= 'shared_db';
  for (const key of ['host', 'user', 'password']) {
    if (db[key] === undefined && !src.hasIssueUnder([...at, key])) src.add(at, `required key '${key}' is missing from database: add ${key}: ${key === 'password' ? '${DB_PASSWORD}' : '...'}`);
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

function wso2Nodes(layouts: readonly LayoutDraft[]): number {
  let n = 0;
  for (const l of layouts) for (const [role, hosts] of Object.entries(l.roles)) if (WSO2_ROLES.includes(role as RoleName)) n += hosts.length;
  return n;
}
