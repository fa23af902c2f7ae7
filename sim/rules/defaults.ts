/**
 * The few default.json values the simulator acts on (the rest of default.json does not change what it emulates).
 * Values a version's files do not define are absent, never guessed.
 */
import type { DataVersion, Pack } from './versions.js';
import type { SourceId } from './sources.js';

export interface DatabaseDefault {
  readonly url?: string;
  readonly driver?: string;
  readonly username?: string;
  readonly password?: string;
}

const APIM_DB_H2 = 'jdbc:h2:./repository/database/WSO2AM_DB;DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=60000';
const SHARED_DB_H2 = 'jdbc:h2:./repository/database/WSO2SHARED_DB;DB_CLOSE_ON_EXIT=FALSE';

/** database.<id>.* defaults: apim_db url/driver in every 4.5-4.7 pack; credentials from the apimgt core feature. */
export function databaseDefaults(version: DataVersion | undefined, pack: Pack, id: string): DatabaseDefault {
  if (version === undefined) return {};
  if (id === 'apim_db') return { url: APIM_DB_H2, driver: 'org.h2.Driver', username: 'wso2carbon', password: 'wso2carbon' };
  if (id === 'shared_db' && version === '4.7' && (pack === 'gateway' || pack === 'traffic-manager')) {
    return { url: SHARED_DB_H2, driver: 'org.h2.Driver', username: 'wso2carbon', password: 'wso2carbon' };
  }
  return {};
}
export const DATABASE_DEFAULT_SOURCES: readonly SourceId[] = ['packDefault45', 'packDefault46', 'packDefault47', 'coreDefault'];

/** apim.sync_runtime_artifacts.gateway.gateway_labels when deployment.toml says nothing. */
export const DEFAULT_GATEWAY_LABELS: readonly string[] = ['Default'];
export const GATEWAY_LABEL_SOURCES: readonly SourceId[] = ['coreDefault', 'docsDistributed'];

/** keystore.primary.* and truststore.* defaults; keystore.tls.* are `$ref{keystore.primary.*}`. */
export const KEYSTORE_DEFAULTS = {
  primary: { file_name: 'wso2carbon.jks', type: 'JKS', password: 'wso2carbon', alias: 'wso2carbon', key_password: 'wso2carbon' },
  truststore: { file_name: 'client-truststore.jks', type: 'JKS', password: 'wso2carbon' },
} as const;
export const KEYSTORE_SOURCES: readonly SourceId[] = ['kernelDefault', 'packDefault46'];

/**
 * apim.ws.port / apim.wss.port before the port offset: the gateway and all-in-one packs' WebSocket inbound endpoints
 * (ws and wss; wss serves the [keystore.tls] key through apim.wss.keystore.*). Their handshake is RFC 6455's.
 */
export const WEBSOCKET_PORTS = { ws: 9099, wss: 8099 } as const;
export const WEBSOCKET_SOURCES: readonly SourceId[] = ['gatewayWsEndpoints', 'rfc6455'];
