/**
 * Reads repository/conf/deployment.toml the way a node needs it: parse (smol-toml), resolve references, check the
 * component's required keys, and extract what the emulator acts on. Every problem is collected, so one start
 * reports all of them.
 */
import { readFileSync } from 'node:fs';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import type { Component } from './args.js';
import { databaseTarget, type DatabaseTarget } from './database-url.js';
import { expandProperties, lookup, resolveReferences, type TomlTable } from './placeholders.js';
import { effectiveOffset, portsFor, type PortName } from './ports.js';
import { checkRequirements } from './required-keys.js';

export interface SimConfig {
  readonly component: Component;
  readonly hostname: string;
  readonly nodeIp: string | undefined;
  readonly offset: number;
  readonly ports: Partial<Record<PortName, number>>;
  /** [keystore.tls] password: opens the pack's key (the stand-in for wso2carbon.jks); the packs ship 'wso2carbon'. */
  readonly keystorePassword: string;
  readonly keyManagerUrl: string | undefined;
  readonly eventHubUrl: string | undefined;
  readonly trafficManagerUrls: readonly string[];
  readonly databases: readonly DatabaseTarget[];
}

export type ConfigResult = { ok: true; config: SimConfig } | { ok: false; problems: string[] };

const asString = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function trafficManagerUrls(doc: TomlTable): string[] {
  const groups = lookup(doc, 'apim.throttling.url_group');
  if (!Array.isArray(groups)) return [];
  return groups.flatMap((g) => {
    const urls = (g as TomlTable)['traffic_manager_urls'];
    return Array.isArray(urls) ? urls.filter((u): u is string => typeof u === 'string') : [];
  });
}

export function loadConfig(
  carbonHome: string,
  component: Component,
  argOffset: number | undefined,
  env: Readonly<Record<string, string | undefined>>,
): ConfigResult {
  const file = join(carbonHome, 'repository', 'conf', 'deployment.toml');
  let raw: TomlTable;
  try {
    raw = parse(readFileSync(file, 'utf8')) as TomlTable;
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { ok: false, problems: [`Error while parsing ${file}: ${why}`] };
  }
  const { doc, problems } = resolveReferences(raw, env);
  problems.push(...checkRequirements(doc, component));
  let offset = 0;
  try {
    offset = effectiveOffset(lookup(doc, 'server.offset'), argOffset);
  } catch (err) {
    problems.push((err as Error).message);
  }
  const ports = portsFor(component, offset);
  const hostname = asString(lookup(doc, 'server.hostname')) ?? osHostname();
  const nodeIp = asString(lookup(doc, 'server.node_ip'));
  const properties: Record<string, string> = {
    'mgt.transport.https.port': String(ports.https),
    'mgt.transport.http.port': String(ports.http),
    'carbon.management.port': String(ports.https),
    'carbon.protocol': 'https',
    'carbon.host': hostname,
    'carbon.local.ip': nodeIp ?? '127.0.0.1',
    'admin.username': String(lookup(doc, 'super_admin.username') ?? ''),
  };
  const url = (path: string): string | undefined => {
    const v = asString(lookup(doc, path));
    return v === undefined ? undefined : expandProperties(v, properties);
  };
  const databases: DatabaseTarget[] = [];
  if (component !== 'gateway' && component !== 'traffic-manager') {
    for (const id of ['apim_db', 'shared_db']) {
      const table = lookup(doc, `database.${id}`);
      if (table === null || typeof table !== 'object') continue;
      try {
        const target = databaseTarget(id, table as TomlTable);
        if (target) databases.push(target);
      } catch (err) {
        problems.push((err as Error).message);
      }
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    config: {
      component,
      hostname,
      nodeIp,
      offset,
      ports,
      keystorePassword: asString(lookup(doc, 'keystore.tls.password')) ?? 'wso2carbon',
      keyManagerUrl: url('apim.key_manager.service_url'),
      eventHubUrl: url('apim.event_hub.service_url'),
      trafficManagerUrls: trafficManagerUrls(doc).map((u) => expandProperties(u, properties)),
      databases,
    },
  };
}
