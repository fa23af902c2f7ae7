import type { TopologyEdge, TopologyGraph } from '../../model/topology-graph.js';

const id = (host: string) => `h_${host.replace(/[^A-Za-z0-9]/g, '_')}`;
const quote = (s: string) => s.replace(/"/g, '#quot;');

export const edgeLabel = (e: TopologyEdge): string => `${e.kind} :${e.ports.join(',')}`;

/** Mermaid flowchart text: a subgraph per datacenter, a node per host (roles, address), an edge per wire. */
export function graphMermaid(g: TopologyGraph): string {
  const lines = ['flowchart TB'];
  const node = (h: TopologyGraph['hosts'][number]) => `${id(h.name)}["${quote(h.name)}<br/>${quote(h.roles.join(', '))}<br/>${quote(h.address)}"]`;
  const dcs = [...new Set(g.hosts.map((h) => h.datacenter))];
  for (const dc of dcs) {
    const members = g.hosts.filter((h) => h.datacenter === dc);
    if (dc === null) lines.push(...members.map((h) => `  ${node(h)}`));
    else lines.push(`  subgraph dc_${dc.replace(/[^A-Za-z0-9]/g, '_')}["datacenter ${quote(dc)}"]`, ...members.map((h) => `    ${node(h)}`), '  end');
  }
  for (const e of g.edges) lines.push(`  ${id(e.from)} -->|"${quote(edgeLabel(e))}"| ${id(e.to)}`);
  return `${lines.join('\n')}\n`;
}
