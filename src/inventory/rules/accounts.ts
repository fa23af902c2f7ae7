import { isWso2Role } from '../../catalog/variants.js';
import type { DocPath } from '../../yaml/source.js';
import { quoted } from '../../yaml/shown.js';
import type { DraftNode } from '../nodes.js';
import type { RuleContext } from './context.js';

/** `pg_*` matches by prefix; anything else exactly. */
const matchesReserved = (name: string, pattern: string): boolean =>
  pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;

/** The account names the service roles keep for themselves (role.yaml `reservedUsers`), per database type or all. */
function reservedUsers(ctx: RuleContext, databaseType?: string): string[] {
  return Object.values(ctx.catalog).flatMap((role) => (role.runtime.kind === 'service' ? role.runtime.variants : [])
    .filter((v) => databaseType === undefined || v.when?.databaseType === undefined || v.when.databaseType === databaseType)
    .flatMap((v) => v.reservedUsers));
}

/** Where a node's variable was written (or the node's host, for a default). */
function written(n: DraftNode, name: string): DocPath {
  return n.vars.origin.get(name) ?? ['hosts', n.host];
}

/**
 * Accounts that must not be handed to WSO2: root as its service user (a compromised server would own the host) or
 * another service's own account (nginx or PostgreSQL would read WSO2's secrets), and a DBMS superuser as the
 * database user (the setup would reset its password and hand the whole server to WSO2).
 */
export function checkAccounts(ctx: RuleContext): void {
  const reported = new Set<string>();
  const once = (path: DocPath, message: string): void => {
    const key = path.join('\0');
    if (!reported.has(key)) ctx.src.add(path, message);
    reported.add(key);
  };
  const serviceAccounts = ['root', ...reservedUsers(ctx)];
  for (const n of ctx.nodes) {
    if (!isWso2Role(ctx.catalog[n.role])) continue;
    const user = n.vars.values['service_user'];
    if (typeof user === 'string' && serviceAccounts.some((p) => matchesReserved(user, p))) {
      once(written(n, 'service_user'), user === 'root'
        ? "service_user root would run WSO2 with every right on the host: use a dedicated account like wso2carbon"
        : `service_user ${quoted(user)} is another service's own account, which would then read WSO2's secrets: use a dedicated account like wso2carbon`);
    }
  }
  for (const n of ctx.nodes) {
    const db = n.vars.values['database'] as Readonly<Record<string, unknown>> | undefined;
    const user = db?.['user'];
    if (typeof user !== 'string' || typeof db?.['type'] !== 'string') continue;
    const pattern = reservedUsers(ctx, db['type']).find((p) => matchesReserved(user, p));
    if (pattern === undefined) continue;
    once(n.vars.origin.get('database.user') ?? ['vars', 'database'],
      `database user ${quoted(user)} is reserved by ${db['type']} (${pattern.endsWith('*') ? `names starting ${pattern.slice(0, -1)}` : 'its own superuser'}): ` +
        'setup would set its password and give WSO2 the whole database server; use a dedicated user like apim');
  }
}
