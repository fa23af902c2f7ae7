/**
 * A database-opening node on a schema of another version logs the product's ERROR and stays up but never ready, as a
 * real one keeps running with a broken API Manager component (rules/schema-versions.ts).
 */
import { readSchemaVersion } from './database.js';
import type { DatabaseTarget } from './database-url.js';
import type { Logger } from './log.js';
import { SCHEMA_FAILURE_LOGGER, SCHEMA_FAILURE_MESSAGE, schemaAccepts, schemaMismatchCause } from '../rules/schema-versions.js';

/** False (after logging the ERROR) when one database holds another version's schema. */
export async function schemasMatch(databases: readonly DatabaseTarget[], nodeVersion: string, log: Logger): Promise<boolean> {
  for (const db of databases) {
    const held = await readSchemaVersion(db).catch(() => undefined);
    if (held === undefined || schemaAccepts(held, nodeVersion)) continue;
    log.error(SCHEMA_FAILURE_LOGGER, `${SCHEMA_FAILURE_MESSAGE}\n${schemaMismatchCause(db.id, held, nodeVersion)}`);
    return false;
  }
  return true;
}
