import type { TopologyEdge, TopologyGraph } from '../../model/topology-graph.js';
import { esc, rect, svgDocument, text } from '../svg.js';
import { layoutGraph } from './layout.js';
import { edgeLabel } from './mermaid.js';
import { pathOf, placeLabels, routeWires } from './wires.js';

export const EDGE_COLOURS: Readonly<Record<TopologyEdge['kind'], string>> = {
  'event hub': '#7a5af8', throttling: '#f79009', 'key manager': '#12b76a', database: '#2e90fa', upstream: '#667085',
};
const ROLE_FILL: Readonly<Record<string, string>> = {
  'load-balancer': '#f2f4f7', database: '#eff8ff', 'control-plane': '#f4f3ff', 'all-in-one': '#f4f3ff', 'key-manager': '#ecfdf3', 'traffic-manager': '#fffaeb', gateway: '#fef3f2',
};

/** Label text size: DejaVu Sans at 10 px averages under 6.6 px a character. */
const LABEL_FONT = 10;
const labelSize = (label: string) => ({ w: label.length * 6.6 + 6, h: 13 });

/** The topology as a self-contained SVG: datacenter groups, host boxes (roles, address), coloured wires with ports. */
export function graphSvg(g: TopologyGraph): string {
  const layout = layoutGraph(g);
  const body: string[] = [
    '<defs>',
    ...Object.entries(EDGE_COLOURS).map(([k, c]) => `<marker id="arrow-${k.replace(' ', '-')}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${c}"/></marker>`),
    '</defs>',
  ];
  for (const grp of layout.groups) {
    body.push(`<g class="datacenter" data-datacenter="${esc(grp.datacenter ?? '')}">`,
      rect(grp, { fill: '#fcfcfd', stroke: '#d0d5dd', 'stroke-dasharray': '6 4', rx: 10 }),
      text(grp.x + 12, grp.y + 20, grp.datacenter ? `datacenter ${grp.datacenter}` : `${g.name} (pattern ${g.pattern})`, { 'font-weight': 'bold', fill: '#475467' }), '</g>');
  }
  const wires = routeWires(g.edges, layout.boxes);
  const labelBoxes = placeLabels(wires, (w) => labelSize(edgeLabel(w.edge)), [...layout.boxes.values()]);
  const labels: string[] = [];
  wires.forEach((w, i) => {
    const e = w.edge;
    const colour = EDGE_COLOURS[e.kind];
    const label = edgeLabel(e);
    body.push(`<path class="edge" data-from="${esc(e.from)}" data-to="${esc(e.to)}" data-kind="${esc(e.kind)}" d="${pathOf(w)}" fill="none" stroke="${colour}" stroke-width="1.6" marker-end="url(#arrow-${e.kind.replace(' ', '-')})"><title>${esc(`${e.from} → ${e.to}: ${label}`)}</title></path>`);
    const at = labelBoxes[i]!;
    labels.push(rect(at, { class: 'wire-label', fill: '#ffffff', 'fill-opacity': 0.85, rx: 3 }),
      text(at.x + at.w / 2, at.y + at.h - 3, label, { 'font-size': LABEL_FONT, fill: colour, 'text-anchor': 'middle' }));
  });
  // Labels under the boxes: a host's name and roles stay readable; every label is also in the HTML's table.
  body.push(...labels);
  for (const h of g.hosts) {
    const b = layout.boxes.get(h.name)!;
    body.push(`<g class="host" data-host="${esc(h.name)}">`, rect(b, { fill: ROLE_FILL[h.roles[0]!] ?? '#fff', stroke: '#344054', 'stroke-width': 1.2, rx: 6 }),
      text(b.x + 10, b.y + 19, h.name, { 'font-weight': 'bold', 'font-size': 13 }),
      ...h.roles.map((r, i) => text(b.x + 10, b.y + 35 + i * 15, r, { fill: '#344054' })),
      text(b.x + 10, b.y + 35 + h.roles.length * 15, h.address, { fill: '#667085', 'font-size': 11 }), '</g>');
  }
  return svgDocument(layout.width, layout.height, body, `${g.name}: topology`);
}
