import type { TopologyGraph } from '../../model/topology-graph.js';
import { esc, htmlPage } from '../svg.js';
import { graphMermaid, edgeLabel } from './mermaid.js';
import { EDGE_COLOURS, graphSvg } from './svg.js';

/** One page: the picture, a legend, every wire as a table row, and the Mermaid text to paste elsewhere. */
export function graphHtml(g: TopologyGraph): string {
  const legend = Object.entries(EDGE_COLOURS).map(([k, c]) => `<span style="color:${c}">━━ ${esc(k)}</span>`).join(' &nbsp; ');
  const rows = g.edges.map((e) => `<tr><td>${esc(e.from)}</td><td>${esc(e.to)}</td><td style="color:${EDGE_COLOURS[e.kind]}">${esc(edgeLabel(e))}</td></tr>`);
  return htmlPage(`${g.name}: topology`, [
    `<h1>${esc(g.name)} — pattern ${esc(g.pattern)}</h1>`,
    `<p class="meta">${g.hosts.length} hosts, ${g.edges.length} wires, as apim-deploy renders their config files. ${legend}</p>`,
    graphSvg(g),
    '<h2>Wiring</h2><table><tr><th>from</th><th>to</th><th>what, ports</th></tr>', ...rows, '</table>',
    '<h2>Mermaid</h2>', `<pre>${esc(graphMermaid(g))}</pre>`,
  ]);
}
