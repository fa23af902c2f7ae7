/**
 * Reads repository/conf/deployment.toml the way a node needs it: parse (smol-toml), run the config mapper's checks
 * (config-mapper.ts), the datasources' (datasources.ts), and extract what the emulator acts on.
 */
import { readFileSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import type { Component } from './args.js';
import { environmentsOf, gatewayLabelsOf } from './artifacts.js';
import { runConfigMapper } from './config-mapper.js';
import type { DatabaseTarget } from './database-url.js';
import { checkDatasources, type Blocker } from './datasources.js';
import type { KeySpec, StoreSpec } from './jsse.js';
import { expandProperties, type Flat, type TomlTable } from './placeholders.js';
import { effectiveOffset, portsFor, type PortName } from './ports.js';
import { KEYSTORE_DEFAULTS } from '../rules/defaults.js';
import type { DataVersion } from '../rules/versions.js';

export interface SimConfig {
  readonly component: Component;
  readonly version: DataVersion | undefined;
  readonly hostname: string;
  readonly nodeIp: string | undefined;
  readonly offset: number;
  readonly ports: Partial<Record<PortName, number>>;
  /** [keystore.tls] (defaulting to [keystore.primary]): the key the node's TLS ports serve. */
  readonly keystore: KeySpec;
  /** [truststore]: the only trust anchors of the node's outgoing TLS. */
  readonly truststore: StoreSpec;
  readonly keyManagerUrl: string | undefined;
  readonly eventHubUrl: string | undefined;
  readonly trafficManagerUrls: readonly string[];
  readonly databases: readonly DatabaseTarget[];
  /** Problems the node logs once and never gets over until restarted: it stays unready. */
  readonly blockers: readonly Blocker[];
  /** What the simulator noticed but the product accepts silently (unknown server_role, database type). */
  readonly notes: readonly string[];
  /** [super_admin]: the login the node's AMQP broker accepts from other nodes' JMS publishers. */
  readonly admin: { readonly username: string; readonly password: string };
  /** Its home: what relative paths in its files (a JNDI provider URL) resolve against, as Carbon runs from there. */
  readonly carbonHome: string;
  /** Control plane / all-in-one: the gateway environments it deploys the sample API to. */
  readonly environments: readonly string[];
  /** Gateway / all-in-one: the labels whose APIs it deploys. */
  readonly gatewayLabels: readonly string[];
}

export type ConfigResult =
  | { ok: true; config: SimConfig }
  | { ok: false; kind: 'mapper'; exception: string }
  | { ok: false; kind: 'config'; problems: string[] };

export interface LoadInput {
  readonly carbonHome: string;
  readonly component: Component;
  readonly version: DataVersion | undefined;
  readonly argOffset: number | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly systemProperties: Readonly<Record<string, string>>;
  readonly secrets?: ReadonlyMap<string, string>;
}

const asString = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function trafficManagerUrls(flat: Flat): string[] {
  const groups = flat.get('apim.throttling.url_group');
  if (!Array.isArray(groups)) return [];
  return groups.flatMap((g) => {
    const urls = (g as TomlTable)['traffic_manager_urls'];
    return Array.isArray(urls) ? urls.filter((u): u is string => typeof u === 'string') : [];
  });
}

function stores(flat: Flat, carbonHome: string): { keystore: KeySpec; truststore: StoreSpec } {
  const dir = join(carbonHome, 'repository', 'resources', 'security');
  const get = (key: string, fallback: string): string => String(flat.get(key) ?? fallback);
  const p = KEYSTORE_DEFAULTS.primary;
  const primary = (f: keyof typeof p): string => get(`keystore.primary.${f}`, p[f]);
  const tls = (f: keyof typeof p): string => get(`keystore.tls.${f}`, primary(f));
  const t = KEYSTORE_DEFAULTS.truststore;
  return {
    keystore: { path: join(dir, tls('file_name')), type: tls('type'), password: tls('password'), alias: tls('alias'), keyPassword: tls('key_password') },
    truststore: { path: join(dir, get('truststore.file_name', t.file_name)), type: get('truststore.type', t.type), password: get('truststore.password', t.password) },
  };
}

export function loadConfig(input: LoadInput): ConfigResult {
  const file = join(input.carbonHome, 'repository', 'conf', 'deployment.toml');
  let doc: TomlTable;
  try {
    doc = parse(readFileSync(file, 'utf8')) as TomlTable;
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { ok: false, kind: 'mapper', exception: `org.wso2.config.mapper.ConfigParserException: Error parsing deployment configuration (${file}: ${why})` };
  }
  const mapped = runConfigMapper({ doc, version: input.version, component: input.component, env: input.env, systemProperties: input.systemProperties, ...(input.secrets ? { secrets: input.secrets } : {}) });
  if (!mapped.ok) return { ok: false, kind: 'mapper', exception: mapped.exception };
  const flat = mapped.flat;
  const problems: string[] = [];
  let offset = 0;
  try {
    offset = effectiveOffset(flat.get('server.offset'), input.argOffset);
  } catch (err) {
    problems.push((err as Error).message);
  }
  const datasources = checkDatasources(flat, input.version, input.component, input.carbonHome);
  problems.push(...datasources.problems);
  if (problems.length > 0) return { ok: false, kind: 'config', problems };
  const ports = portsFor(input.component, offset);
  const hostname = asString(flat.get('server.hostname')) ?? osHostname();
  const nodeIp = asString(flat.get('server.node_ip'));
  const properties: Record<string, string> = {
    'mgt.transport.https.port': String(ports.https),
    'mgt.transport.http.port': String(ports.http),
    'carbon.management.port': String(ports.https),
    'carbon.protocol': 'https',
    'carbon.host': hostname,
    'carbon.local.ip': nodeIp ?? '127.0.0.1',
    'carbon.context': '/',
    'admin.username': String(flat.get('super_admin.username') ?? ''),
  };
  const url = (key: string): string | undefined => {
    const v = asString(flat.get(key));
    return v === undefined ? undefined : expandProperties(v, properties);
  };
  return {
    ok: true,
    config: {
      component: input.component,
      version: input.version,
      hostname,
      nodeIp,
      offset,
      ports,
      ...stores(flat, input.carbonHome),
      keyManagerUrl: url('apim.key_manager.service_url'),
      eventHubUrl: url('apim.event_hub.service_url'),
      trafficManagerUrls: trafficManagerUrls(flat).map((u) => expandProperties(u, properties)),
      databases: datasources.targets,
      blockers: datasources.blockers,
      notes: mapped.notes,
      environments: environmentsOf(flat),
      gatewayLabels: gatewayLabelsOf(flat),
      // The pack's default.json: super_admin admin/admin unless deployment.toml says otherwise.
      admin: { username: asString(flat.get('super_admin.username')) ?? 'admin', password: asString(flat.get('super_admin.password')) ?? 'admin' },
      carbonHome: input.carbonHome,
    },
  };
}
