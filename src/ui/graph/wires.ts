import type { TopologyEdge } from '../../model/topology-graph.js';
import type { Box } from '../svg.js';

export interface Point {
  readonly x: number;
  readonly y: number;
}

/** A wire drawn as one cubic Bézier curve: start, two control points, end. */
export interface Wire {
  readonly edge: TopologyEdge;
  readonly curve: readonly [Point, Point, Point, Point];
}

type Side = 'top' | 'bottom';

/** The side of `a` a wire to `b` leaves from: down to a lower row, up to a higher one, over the top within a row. */
const sideOf = (a: Box, b: Box): Side => (Math.abs(a.y - b.y) >= 1 && b.y > a.y ? 'bottom' : 'top');
const sameRow = (a: Box, b: Box): boolean => Math.abs(a.y - b.y) < 1;
const centreX = (b: Box): number => b.x + b.w / 2;

/**
 * Routes every wire between its two boxes. Each side of a box spreads its wires over its width, ordered by where
 * the other end lies, so wires leave side by side instead of from one point and cross as little as the layout lets.
 */
export function routeWires(edges: readonly TopologyEdge[], boxes: ReadonlyMap<string, Box>): Wire[] {
  const box = (name: string): Box => boxes.get(name)!;
  const slots = new Map<string, { edge: number; end: 'from' | 'to'; otherX: number }[]>();
  const slot = (host: string, side: Side) => slots.get(`${side} ${host}`) ?? slots.set(`${side} ${host}`, []).get(`${side} ${host}`)!;
  edges.forEach((e, i) => {
    const [a, b] = [box(e.from), box(e.to)];
    slot(e.from, sideOf(a, b)).push({ edge: i, end: 'from', otherX: centreX(b) });
    slot(e.to, sideOf(b, a)).push({ edge: i, end: 'to', otherX: centreX(a) });
  });
  const anchorX = new Map<string, number>();
  for (const [key, list] of slots) {
    const b = box(key.slice(key.indexOf(' ') + 1));
    list.sort((p, q) => p.otherX - q.otherX || p.edge - q.edge);
    list.forEach((s, k) => anchorX.set(`${s.edge} ${s.end}`, b.x + (b.w * (k + 1)) / (list.length + 1)));
  }
  return edges.map((edge, i) => {
    const [a, b] = [box(edge.from), box(edge.to)];
    const start = { x: anchorX.get(`${i} from`)!, y: sideOf(a, b) === 'top' ? a.y : a.y + a.h };
    const end = { x: anchorX.get(`${i} to`)!, y: sideOf(b, a) === 'top' ? b.y : b.y + b.h };
    // Within a row the wire arcs over the boxes, higher the farther it goes; between rows it bends halfway.
    const lift = sameRow(a, b) ? -40 - Math.abs(end.x - start.x) * 0.12 : (end.y - start.y) / 2;
    const c2y = sameRow(a, b) ? end.y + lift : end.y - lift;
    return { edge, curve: [start, { x: start.x, y: start.y + lift }, { x: end.x, y: c2y }, end] };
  });
}

export const pathOf = ({ curve: [p, c1, c2, q] }: Wire): string => `M${r(p.x)},${r(p.y)} C${r(c1.x)},${r(c1.y)} ${r(c2.x)},${r(c2.y)} ${r(q.x)},${r(q.y)}`;
const r = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/** The point at `t` (0 start, 1 end) on the wire. */
export function pointAt({ curve: [p, c1, c2, q] }: Wire, t: number): Point {
  const u = 1 - t;
  const at = (k: 'x' | 'y') => u * u * u * p[k] + 3 * u * u * t * c1[k] + 3 * u * t * t * c2[k] + t * t * t * q[k];
  return { x: at('x'), y: at('y') };
}

export const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Where along a wire its label may sit, most wanted first: the middle, then outwards. */
const STOPS = [0.5, ...Array.from({ length: 10 }, (_, i) => [0.5 - (i + 1) * 0.04, 0.5 + (i + 1) * 0.04]).flat()];

/**
 * A box for each wire's label on (or just beside) its wire, clear of every host box and every label placed before it
 * when such a place exists (else the middle). `size` gives a label's width and height.
 */
export function placeLabels(wires: readonly Wire[], size: (w: Wire) => { w: number; h: number }, hosts: readonly Box[]): Box[] {
  const placed: Box[] = [];
  for (const wire of wires) {
    const { w, h } = size(wire);
    const at = (t: number, dy: number): Box => {
      const p = pointAt(wire, t);
      return { x: p.x - w / 2, y: p.y - h / 2 + dy, w, h };
    };
    // On the wire first; where wires crowd (a node with many peers), just above or below it.
    const candidates = [0, -(h + 2), h + 2].flatMap((dy) => STOPS.map((t) => at(t, dy)));
    const free = (b: Box, others: readonly Box[]) => !others.some((o) => overlaps(b, o));
    placed.push(candidates.find((b) => free(b, hosts) && free(b, placed)) ?? candidates.find((b) => free(b, hosts)) ?? candidates[0]!);
  }
  return placed;
}
