/**
 * The system datasources a node writes into master-datasources.xml and then opens (rules: sim/rules/databases.ts,
 * defaults: sim/rules/defaults.ts). Problems the node cannot get over without a restart (an unreadable XML file, a
 * driver class it cannot load) are blockers: logged once, the node stays unready. Databases it can reach are
 * returned as targets and probed until they answer, as before.
 */
import { join } from 'node:path';
import type { Component } from './args.js';
import { databaseTarget, type DatabaseTarget } from './database-url.js';
import { findClass } from './jar-classes.js';
import type { Flat } from './placeholders.js';
import { readXmlText } from './xml-values.js';
import { DRIVER_DIRS, OPENS_DATABASES, SHIPPED_DRIVERS, SYSTEM_DATASOURCES, XML_WRITTEN_FIELDS } from '../rules/databases.js';
import { databaseDefaults } from '../rules/defaults.js';
import { packOf, type DataVersion } from '../rules/versions.js';

export interface Blocker {
  readonly logger: string;
  readonly message: string;
}

export interface DatasourceResult {
  readonly targets: DatabaseTarget[];
  readonly blockers: Blocker[];
  /** Problems of a kind the simulator reported before these rules (an unparsable URL): a startup refusal. */
  readonly problems: string[];
}

const POOL = 'org.apache.tomcat.jdbc.pool.ConnectionPool';
const DATASOURCES = 'org.wso2.carbon.ndatasource.core.internal.DataSourceServiceComponent';

/** A stable stand-in for Java's identity hash in `org.h2.Driver@6d1e7682`. */
const identity = (text: string): string => {
  let h = 7;
  for (const c of text) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return h.toString(16);
};

function poolFailure(exception: string, cause?: string): Blocker {
  const trace = '\n\tat org.apache.tomcat.jdbc.pool.PooledConnection.connectUsingDriver(PooledConnection.java)';
  return { logger: POOL, message: `Unable to create initial connections of pool.\n${exception}${trace}${cause ? `\nCaused by: ${cause}` : ''}` };
}

/** The values master-datasources.xml gets for `id`: deployment.toml (with inferred keys), then default.json. */
function fieldsOf(flat: Flat, id: string, version: DataVersion | undefined, component: Component): Record<string, unknown> {
  const defaults = databaseDefaults(version, packOf(component), id) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field of ['type', 'url', 'hostname', 'port', 'name', ...XML_WRITTEN_FIELDS]) {
    out[field] = flat.get(`database.${id}.${field}`) ?? defaults[field];
  }
  return out;
}

function legacyTarget(result: DatasourceResult, id: string, fields: Record<string, unknown>): void {
  if (fields['type'] === undefined && fields['url'] === undefined && fields['hostname'] === undefined) return;
  try {
    const target = databaseTarget(id, fields);
    if (target) result.targets.push(target);
  } catch (err) {
    result.problems.push((err as Error).message);
  }
}

export function checkDatasources(flat: Flat, version: DataVersion | undefined, component: Component, carbonHome: string): DatasourceResult {
  const result: DatasourceResult = { targets: [], blockers: [], problems: [] };
  const file = join(carbonHome, 'repository', 'conf', 'datasources', 'master-datasources.xml');
  const tables = new Map<string, Record<string, unknown>>();
  for (const id of SYSTEM_DATASOURCES) {
    const fields = fieldsOf(flat, id, version, component);
    for (const field of XML_WRITTEN_FIELDS) {
      const raw = fields[field];
      if (typeof raw !== 'string') continue;
      const read = readXmlText(raw);
      if (!read.ok) {
        const inner = `Error in initializing system data sources at '${file}' - ${read.problem}`;
        result.blockers.push({ logger: DATASOURCES, message: `Error in intializing system data sources: Error in initializing system data sources: ${inner}` });
        return result; // the whole file is unreadable: no datasource at all
      }
      fields[field] = read.value;
    }
    tables.set(id, fields);
  }
  if (!OPENS_DATABASES.includes(component)) return result;
  for (const [id, fields] of tables) {
    if (version === undefined) {
      legacyTarget(result, id, fields); // versions whose files were not read: no driver rules, as before
      continue;
    }
    const url = typeof fields['url'] === 'string' ? fields['url'] : undefined;
    const driver = typeof fields['driver'] === 'string' ? fields['driver'].trim() : '';
    if (driver === 'org.h2.Driver' && (url === undefined || url.startsWith('jdbc:h2:'))) continue; // embedded H2
    if (driver === '') {
      result.blockers.push(poolFailure(`java.sql.SQLException: No suitable driver found for ${url ?? ''}`));
      continue;
    }
    if (SHIPPED_DRIVERS.includes(driver)) {
      result.blockers.push(poolFailure(`java.sql.SQLException: Driver:${driver}@${identity(url ?? '')} returned null for URL:${url ?? ''}`));
      continue;
    }
    if (findClass(carbonHome, DRIVER_DIRS, driver) === undefined) {
      result.blockers.push(poolFailure(`java.sql.SQLException: ${driver}`, `java.lang.ClassNotFoundException: ${driver}`));
      continue;
    }
    try {
      const target = databaseTarget(id, { ...fields, url });
      if (target) result.targets.push(target);
    } catch (err) {
      result.problems.push((err as Error).message);
    }
  }
  return result;
}
