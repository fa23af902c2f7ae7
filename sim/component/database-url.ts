/** Where a `[database.*]` table points: `url = "jdbc:postgresql://host:port/db?..."` or `hostname`/`port`/`name`. */
import type { TomlTable } from './placeholders.js';

export interface DatabaseTarget {
  readonly id: string; // 'apim_db' | 'shared_db'
  readonly type: string; // as written: 'postgre', 'postgresql', 'mysql', 'h2', ...
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
  /** For logs: the URL with any password parameter masked. */
  readonly display: string;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { postgre: 5432, postgresql: 5432, mysql: 3306, mssql: 1433, oracle: 1521 };

/** PostgreSQL by its URL when there is one (the type may be one infer.json does not know), else by its type. */
export function isPostgres(db: Pick<DatabaseTarget, 'type' | 'display'>): boolean {
  return db.display.startsWith('jdbc:postgresql:') || db.type.toLowerCase().startsWith('postgre');
}

export function maskUrl(url: string): string {
  return url.replace(/(password=)[^&;]*/gi, '$1****');
}

export function databaseTarget(id: string, table: TomlTable): DatabaseTarget | undefined {
  const type = String(table['type'] ?? '').toLowerCase();
  if (type === 'h2') return undefined;
  const user = String(table['username'] ?? '');
  const password = String(table['password'] ?? '');
  const url = table['url'];
  if (typeof url === 'string' && url !== '') {
    const m = /^jdbc:[a-z0-9]+:\/\/\[?([^\]/:?]+)\]?(?::(\d+))?\/([^?;]+)/i.exec(url);
    if (!m) throw new Error(`[database.${id}] url "${maskUrl(url)}" is not a jdbc:<type>://host[:port]/name URL`);
    const port = m[2] ? Number(m[2]) : (DEFAULT_PORTS[type] ?? 5432);
    return { id, type, host: m[1]!, port, database: m[3]!, user, password, display: maskUrl(url) };
  }
  const host = String(table['hostname']);
  const port = table['port'] === undefined ? (DEFAULT_PORTS[type] ?? 5432) : Number(table['port']);
  const database = String(table['name']);
  return { id, type, host, port, database, user, password, display: `${type}://${host}:${port}/${database}` };
}
