/**
 * How a node opens its databases, as far as the sources tell.
 * - master-datasources.xml.j2 writes url, username, password, driver and validationQuery of apim_db and shared_db
 *   verbatim into XML (masterDatasources); a bare `&` or `<` makes the file unreadable and every system datasource
 *   fails (productIs28431, ndatasource). `&amp;` in deployment.toml reaches the driver as `&`.
 * - The packs ship only H2's driver; any other driver jar goes into repository/components/lib (copied to dropins
 *   at start) on every node that opens the database (docsMysql, docsPostgres). Without it the pool cannot load the
 *   class (tomcatJdbc), the datasource never opens and the node never finishes starting.
 * - org.h2.Driver given a non-H2 URL answers null: "Driver:org.h2.Driver@... returned null for URL:..." (tomcatJdbc).
 */
import type { Component } from '../component/args.js';
import type { SourceId } from './sources.js';

export const SHIPPED_DRIVERS: readonly string[] = ['org.h2.Driver'];

/** Where the node finds driver jars, relative to CARBON_HOME. */
export const DRIVER_DIRS: readonly string[] = ['repository/components/lib', 'repository/components/dropins'];

/**
 * Components whose driver and connection the simulator checks. Gateways and traffic managers also get a shared_db
 * datasource, but the sources disagree on whether they open it (k8s docs 4.6: "does not make direct database
 * connections"; their default.json: realm_manager.data_source = "SHARED_DB"), so the simulator stays lenient there.
 */
export const OPENS_DATABASES: readonly Component[] = ['all-in-one', 'control-plane', 'key-manager'];

/** The datasources master-datasources.xml.j2 always writes, and the values it writes verbatim. */
export const SYSTEM_DATASOURCES: readonly string[] = ['apim_db', 'shared_db'];
export const XML_WRITTEN_FIELDS: readonly string[] = ['url', 'username', 'password', 'driver', 'validationQuery'];

export const DATABASE_SOURCES: readonly SourceId[] = ['masterDatasources', 'productIs28431', 'ndatasource', 'docsMysql', 'docsPostgres', 'tomcatJdbc'];
