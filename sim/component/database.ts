/**
 * The database check a control plane or key manager makes at start: a real connection with the configured user and
 * password, then a table that the shipped dbscripts create. PostgreSQL is checked for real (node `pg`); other types
 * only for a listening port, since their drivers are not bundled.
 */
import pg from 'pg';
import { isPostgres, type DatabaseTarget } from './database-url.js';
import { probeTcpHostPort } from './peers.js';

/** A table each database must hold once its dbscript ran (dbscripts/apimgt for apim_db, dbscripts for shared_db). */
export const EXPECTED_TABLE: Readonly<Record<string, string>> = { apim_db: 'am_api', shared_db: 'um_user' };

export async function probeDatabase(db: DatabaseTarget): Promise<string | null> {
  if (!isPostgres(db)) {
    const why = await probeTcpHostPort(db.host, db.port);
    return why === null ? null : `${db.host}:${db.port}: ${why}`;
  }
  const client = new pg.Client({
    host: db.host,
    port: db.port,
    database: db.database,
    user: db.user,
    password: db.password,
    connectionTimeoutMillis: 3000,
  });
  client.on('error', () => undefined); // a dropped connection surfaces through the awaited calls below
  try {
    await client.connect();
    const table = EXPECTED_TABLE[db.id] ?? 'am_api';
    const found = await client.query('SELECT 1 FROM information_schema.tables WHERE lower(table_name) = $1', [table]);
    if (found.rowCount === 0) return `table ${table.toUpperCase()} not found in database "${db.database}": run the dbscripts first`;
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}
