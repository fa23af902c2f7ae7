/**
 * The database check a control plane or key manager makes at start: a real connection with the configured user and
 * password, then a table that the shipped dbscripts create. PostgreSQL is checked for real (node `pg`); other types
 * only for a listening port, since their drivers are not bundled.
 */
import pg from 'pg';
import { isPostgres, type DatabaseTarget } from './database-url.js';
import { probeTcpHostPort } from './peers.js';
import { SCHEMA_VERSION_COLUMN, SCHEMA_VERSION_TABLE } from '../rules/schema-versions.js';

/** A table each database must hold once its dbscript ran (dbscripts/apimgt for apim_db, dbscripts for shared_db). */
export const EXPECTED_TABLE: Readonly<Record<string, string>> = { apim_db: 'am_api', shared_db: 'um_user' };

function clientFor(db: DatabaseTarget): pg.Client {
  const client = new pg.Client({
    host: db.host,
    port: db.port,
    database: db.database,
    user: db.user,
    password: db.password,
    connectionTimeoutMillis: 3000,
  });
  client.on('error', () => undefined); // a dropped connection surfaces through the awaited calls
  return client;
}

/**
 * The schema version the dbscripts or the last migration step recorded (rules/schema-versions.ts), or undefined when
 * the database has no record (a database loaded by other scripts: nothing to compare) or is not PostgreSQL.
 */
export async function readSchemaVersion(db: DatabaseTarget): Promise<string | undefined> {
  if (!isPostgres(db)) return undefined;
  const client = clientFor(db);
  try {
    await client.connect();
    const table = SCHEMA_VERSION_TABLE.toLowerCase();
    const found = await client.query('SELECT 1 FROM information_schema.tables WHERE lower(table_name) = $1', [table]);
    if (found.rowCount === 0) return undefined;
    const rows = await client.query<Record<string, string>>(`SELECT ${SCHEMA_VERSION_COLUMN} AS v FROM ${SCHEMA_VERSION_TABLE}`);
    return rows.rows[0]?.['v'];
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function probeDatabase(db: DatabaseTarget): Promise<string | null> {
  if (!isPostgres(db)) {
    const why = await probeTcpHostPort(db.host, db.port);
    return why === null ? null : `${db.host}:${db.port}: ${why}`;
  }
  const client = clientFor(db);
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
