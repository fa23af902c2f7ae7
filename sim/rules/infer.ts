/**
 * What infer.json knows. The config mapper (configMapper: ValueInferrer) looks a key's value up in infer.json and
 * adds the keys listed under it; a value infer.json does not list adds nothing and raises nothing. So an unknown
 * `server_role` or database `type` is not a startup failure: the node starts without the inferred settings
 * (for a database: no driver, no URL from hostname/port/name, no validation query). The simulator starts too and
 * says in a WARN line, marked as its own, what was not inferred.
 */
import type { DataVersion, Pack } from './versions.js';
import type { SourceId } from './sources.js';

/** server.server_role values per pack; identical in 4.5.0, 4.6.0 and 4.7.0. */
export const SERVER_ROLES: Readonly<Record<Pack, readonly string[]>> = {
  'all-in-one': ['gateway-worker', 'api-key-manager-deprecated', 'traffic-manager', 'control-plane', 'default'],
  'control-plane': ['default'],
  gateway: ['default'],
  'traffic-manager': ['default'],
};
export const SERVER_ROLE_SOURCES: readonly SourceId[] = ['packInfer45', 'packInfer46', 'packInfer47'];

export function knownServerRoles(version: DataVersion | undefined, pack: Pack): readonly string[] | undefined {
  return version === undefined ? undefined : SERVER_ROLES[pack];
}

export interface InferredDatabase {
  readonly driver: string;
  /** `$1` is the table name (apim_db, shared_db); the `$ref{}` keys must exist or the mapper stops. */
  readonly url: string;
  readonly validationQuery: string;
}

/** database.$1.type (kernelInfer; no product infer.json adds or overrides one). Note: "postgre", not "postgresql". */
export const DATABASE_TYPES: Readonly<Record<string, InferredDatabase>> = {
  mysql: { driver: 'com.mysql.jdbc.Driver', url: 'jdbc:mysql://$ref{database.$1.hostname}:$ref{database.$1.port}/$ref{database.$1.name}', validationQuery: 'SELECT 1' },
  mariadb: { driver: 'org.mariadb.jdbc.Driver', url: 'jdbc:mariadb://$ref{database.$1.hostname}:$ref{database.$1.port}/$ref{database.$1.name}', validationQuery: 'SELECT 1' },
  oracle: { driver: 'oracle.jdbc.OracleDriver', url: 'jdbc:oracle:thin:@$ref{database.$1.hostname}:$ref{database.$1.port}/$ref{database.$1.sid}', validationQuery: 'SELECT 1 FROM DUAL' },
  mssql: { driver: 'com.microsoft.sqlserver.jdbc.SQLServerDriver', url: 'jdbc:sqlserver://$ref{database.$1.hostname}:$ref{database.$1.port};databaseName=$ref{database.$1.name};SendStringParametersAsUnicode=false', validationQuery: 'SELECT 1' },
  db2: { driver: 'com.ibm.db2.jcc.DB2Driver', url: 'jdbc:db2://$ref{database.$1.hostname}:$ref{database.$1.port}/$ref{database.$1.name}', validationQuery: 'SELECT 1 FROM sysibm.sysdummy1' },
  postgre: { driver: 'org.postgresql.Driver', url: 'jdbc:postgresql://$ref{database.$1.hostname}:$ref{database.$1.port}/$ref{database.$1.name}', validationQuery: 'SELECT 1; COMMIT' },
  h2: { driver: 'org.h2.Driver', url: 'jdbc:h2:async:./repository/database/WSO2CARBON_DB;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=60000', validationQuery: 'SELECT 1' },
};
export const DATABASE_TYPE_SOURCES: readonly SourceId[] = ['kernelInfer', 'configMapper'];
