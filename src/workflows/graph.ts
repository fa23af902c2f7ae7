import { defaultRoleCatalog } from '../catalog/roles.js';
import { loadInventory } from '../inventory/load.js';
import { ROLE_NAMES, type Inventory } from '../model/inventory.js';
import { roleLayers } from '../planner/order.js';
import { buildNodeContexts } from '../topology/context.js';
import { balancerUpstreams } from '../topology/load-balancer.js';
import type { NodeContext } from '../topology/types.js';
import type { TopologyEdge, TopologyGraph, TopologyHost } from '../model/topology-graph.js';
import { secretOptions, type SecretOptions } from '../secrets/sources.js';

export type { TopologyEdge, TopologyGraph, TopologyHost } from '../model/topology-graph.js';

/** host:port of a URL (tcp://, https://, jdbc:postgresql://), or null for a local or unparsable one. */
function endpoint(url: string): { host: string; port: number } | null {
  try {
    const u = new URL(url.replace(/^jdbc:/, ''));
    const port = Number(u.port || (u.protocol === 'https:' ? 443 : u.protocol === 'http:' ? 80 : 0));
    return u.hostname && port ? { host: u.hostname.replace(/^\[|\]$/g, ''), port } : null;
  } catch {
    return null;
  }
}

/**
 * The topology as a graph: hosts (with datacenter, roles and layer) and the wiring src/topology derives for the
 * config files, each edge a kind and its ports. The same contexts the templates are rendered from: the picture
 * cannot disagree with the files.
 */
export function topologyGraph(inv: Inventory): TopologyGraph {
  const catalog = defaultRoleCatalog();
  const contexts = buildNodeContexts(inv, catalog);
  const byAddress = new Map<string, string>();
  for (const h of inv.hosts) byAddress.set(h.address, h.name).set(h.name, h.name);
  for (const c of contexts) {
    if (c.role !== 'load-balancer') continue;
    for (const name of [c.publicHost.controlPlane, c.publicHost.gateway]) if (!byAddress.has(name)) byAddress.set(name, c.host);
  }
  const used = ROLE_NAMES.filter((r) => inv.hosts.some((h) => h.roles.includes(r)));
  // Layers as the planner orders the start (role.yaml dependsOn): the picture reads in start order.
  const layers = new Map(roleLayers(used, (r) => catalog[r].dependsOn).flatMap((layer, i) => layer.map((r) => [r, i] as const)));
  const hosts: TopologyHost[] = inv.hosts.map((h) => ({
    name: h.name, address: h.address, datacenter: h.datacenter ?? null, roles: [...h.roles],
    layer: Math.max(...h.roles.map((r) => layers.get(r) ?? 0)),
  }));
  const edges = new Map<string, { from: string; to: string; kind: TopologyEdge['kind']; ports: Set<number> }>();
  const add = (c: NodeContext, kind: TopologyEdge['kind'], url: string, fromHost = c.host) => {
    const e = endpoint(url);
    const to = e ? byAddress.get(e.host) ?? (e.host === 'localhost' || e.host === '127.0.0.1' ? c.host : undefined) : undefined;
    if (!e || !to || to === fromHost) return;
    const key = `${fromHost}>${to}>${kind}`;
    const edge = edges.get(key) ?? { from: fromHost, to, kind, ports: new Set<number>() };
    edge.ports.add(e.port);
    edges.set(key, edge);
  };
  for (const c of contexts) {
    const w = c.wso2;
    if (w?.eventHub) add(c, 'event hub', w.eventHub.serviceUrl);
    for (const url of [...(w?.throttling?.decisionEndpoints ?? []), ...(w?.throttling?.urlGroups.flatMap((g) => g.urls) ?? [])]) add(c, 'throttling', url);
    if (w?.keyManager) add(c, 'key manager', w.keyManager.serviceUrl);
    for (const db of [w?.database?.apim, w?.database?.shared]) if (db) add(c, 'database', db.url);
    const lb = c.loadBalancer;
    for (const u of lb ? balancerUpstreams(lb) : []) {
      for (const s of u.servers) add(c, 'upstream', `tcp://${s.address.includes(':') ? `[${s.address}]` : s.address}:${s.port}`);
    }
  }
  return {
    name: inv.name, pattern: inv.pattern, hosts,
    edges: [...edges.values()].map((e) => ({ from: e.from, to: e.to, kind: e.kind, ports: [...e.ports].sort((a, b) => a - b) })),
  };
}

/** `apim-deploy graph -i INV`: the inventory's topology, with no host touched and no distribution needed. */
export async function graphInventory(opts: SecretOptions & { inventory: string }): Promise<TopologyGraph> {
  return topologyGraph(await loadInventory(opts.inventory, { ...secretOptions(opts), requireArtifacts: false }));
}
