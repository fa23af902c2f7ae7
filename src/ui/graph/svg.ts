import type { TopologyEdge, TopologyGraph } from '../../model/topology-graph.js';
import { esc, rect, svgDocument, text, type Box } from '../svg.js';
import { layoutGraph } from './layout.js';
import { edgeLabel } from './mermaid.js';

export const EDGE_COLOURS: Readonly<Record<TopologyEdge['kind'], string>> = {
  'event hub': '#7a5af8', throttling: '#f79009', 'key manager': '#12b76a', database: '#2e90fa', upstream: '#667085',
};
const ROLE_FILL: Readonly<Record<string, string>> = {
  'load-balancer': '#f2f4f7', database: '#eff8ff', 'control-plane': '#f4f3ff', 'all-in-one': '#f4f3ff', 'key-manager': '#ecfdf3', 'traffic-manager': '#fffaeb', gateway: '#fef3f2',
};

/** From the side of `a` that faces `b` to the side of `b` that faces `a`, curved so parallel wires stay apart. */
function wire(a: Box, b: Box, bend: number): { d: string; mid: { x: number; y: number } } {
  const down = b.y > a.y + a.h / 2;
  const sameRow = Math.abs(a.y - b.y) < 1;
  const ax = a.x + a.w / 2 + bend;
  const bx = b.x + b.w / 2 + bend;
  const ay = sameRow ? a.y : down ? a.y + a.h : a.y;
  const by = sameRow ? b.y : down ? b.y : b.y + b.h;
  const lift = sameRow ? -50 - Math.abs(bend) : (by - ay) / 2;
  const d = `M${ax},${ay} C${ax},${ay + lift} ${bx},${by - (sameRow ? -lift : lift)} ${bx},${by}`;
  return { d, mid: { x: (ax + bx) / 2, y: sameRow ? ay + lift * 0.75 : (ay + by) / 2 } };
}

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
  const perPair = new Map<string, number>();
  const labels: string[] = [];
  for (const e of g.edges) {
    const a = layout.boxes.get(e.from)!;
    const b = layout.boxes.get(e.to)!;
    const pair = [e.from, e.to].sort().join('|');
    const n = perPair.get(pair) ?? 0;
    perPair.set(pair, n + 1);
    const w = wire(a, b, (n % 2 ? 1 : -1) * Math.ceil(n / 2) * 14);
    const colour = EDGE_COLOURS[e.kind];
    body.push(`<path class="edge" data-from="${esc(e.from)}" data-to="${esc(e.to)}" data-kind="${esc(e.kind)}" d="${w.d}" fill="none" stroke="${colour}" stroke-width="1.6" marker-end="url(#arrow-${e.kind.replace(' ', '-')})"><title>${esc(`${e.from} → ${e.to}: ${edgeLabel(e)}`)}</title></path>`);
    const label = edgeLabel(e);
    labels.push(rect({ x: w.mid.x - label.length * 3.3 - 3, y: w.mid.y - 9, w: label.length * 6.6 + 6, h: 13 }, { fill: '#ffffff', 'fill-opacity': 0.85, rx: 3 }),
      text(w.mid.x, w.mid.y + 1, label, { 'font-size': 10, fill: colour, 'text-anchor': 'middle' }));
  }
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
