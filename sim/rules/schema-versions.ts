/**
 * Which API Manager version's schema a database holds, and who may start on it.
 *
 * What the product does: its dbscripts create the schema of their own version and record no version. A node of a newer
 * version on an older schema fails at start-up on the first table or column its version added: carbon-apimgt's
 * APIManagerComponent.activate() reads the tenant configuration from AM_SYSTEM_CONFIGS (APIUtil.loadAndSyncTenantConf)
 * early and logs `Error while initializing the API manager component` with the cause when it fails (apimComponent);
 * an operator who skipped the DDL reports `Table 'apim_db.AM_SYSTEM_CONFIGS' doesn't exist` followed by failing
 * webapps (issue 17). The server process keeps running, broken. Database migration moves a schema one version step at
 * a time with the scripts of WSO2's migration resources (migrationResources, migrationClient, docsUpgrade410).
 *
 * The simulation device: each dbscript records the version it creates in LAB_SCHEMA_VERSION.SCHEMA_VERSION, and each
 * migration step rewrites it. A database-opening node whose version differs from a database's record logs the real
 * ERROR line (the cause text is the simulator's own, naming both versions) and never becomes ready. Update levels of
 * one version share its schema (WSO2 Updates apply to a pack of a fixed version; an update that needs DDL ships its
 * own instructions, which the sources read do not describe: the simulator treats every update level as compatible).
 */
import type { SourceId } from './sources.js';

/** The table and column the lab's dbscripts and migration scripts keep the version in (lower case in PostgreSQL). */
export const SCHEMA_VERSION_TABLE = 'LAB_SCHEMA_VERSION';
export const SCHEMA_VERSION_COLUMN = 'SCHEMA_VERSION';

export const SCHEMA_FAILURE_LOGGER = 'org.wso2.carbon.apimgt.impl.internal.APIManagerComponent';
export const SCHEMA_FAILURE_MESSAGE = 'Error while initializing the API manager component';

/** The cause the simulator appends (its own wording: the real cause is the driver's missing-table error). */
export function schemaMismatchCause(database: string, held: string, nodeVersion: string): string {
  return `org.wso2.carbon.apimgt.api.APIManagementException: database ${database} holds the API Manager ${held} schema ` +
    `and this node is ${nodeVersion}: migrate the database to ${nodeVersion} (migration-resources) before starting it`;
}

/** True when a node of `nodeVersion` (x.y.z; update levels do not count) starts on a schema recorded as `held`. */
export function schemaAccepts(held: string, nodeVersion: string): boolean {
  return held.trim() === nodeVersion.trim();
}

export const SCHEMA_SOURCES: readonly SourceId[] = ['apimComponent', 'migrationResources', 'migrationClient', 'docsUpgrade410'];
