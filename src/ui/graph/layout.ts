import type { TopologyGraph } from '../../model/topology-graph.js';
import type { Box } from '../svg.js';

export const BOX_W = 190;
const LINE = 15;
const GAP_X = 40;
const GAP_Y = 110;
const PAD = 24;
const HEADER = 30;

export interface GroupLayout extends Box {
  readonly datacenter: string | null;
}

export interface GraphLayout {
  readonly width: number;
  readonly height: number;
  readonly boxes: ReadonlyMap<string, Box>;
  readonly groups: readonly GroupLayout[];
}

export const boxHeight = (roles: number) => 16 + LINE * (roles + 2);

/**
 * A layered layout: datacenters side by side, inside each one a row per dependency layer (start order, top to
 * bottom), hosts of a row left to right in inventory order. Rows are as tall as their tallest box, so no two
 * boxes overlap by construction.
 */
export function layoutGraph(g: TopologyGraph): GraphLayout {
  const layers = [...new Set(g.hosts.map((h) => h.layer))].sort((a, b) => a - b);
  const rowHeight = new Map(layers.map((l) => [l, Math.max(...g.hosts.filter((h) => h.layer === l).map((h) => boxHeight(h.roles.length)))]));
  const rowTop = new Map<number, number>();
  let y = PAD + HEADER;
  for (const l of layers) {
    rowTop.set(l, y);
    y += rowHeight.get(l)! + GAP_Y;
  }
  const height = y - GAP_Y + PAD * 2;
  const boxes = new Map<string, Box>();
  const groups: GroupLayout[] = [];
  let x = PAD;
  for (const dc of [...new Set(g.hosts.map((h) => h.datacenter))]) {
    const members = g.hosts.filter((h) => h.datacenter === dc);
    const widest = Math.max(...layers.map((l) => members.filter((h) => h.layer === l).length));
    const width = widest * BOX_W + (widest - 1) * GAP_X + PAD * 2;
    for (const l of layers) {
      members.filter((h) => h.layer === l).forEach((h, i) => {
        boxes.set(h.name, { x: x + PAD + i * (BOX_W + GAP_X), y: rowTop.get(l)!, w: BOX_W, h: boxHeight(h.roles.length) });
      });
    }
    groups.push({ datacenter: dc, x, y: PAD, w: width, h: height - PAD * 2 });
    x += width + GAP_X;
  }
  return { width: x - GAP_X + PAD, height, boxes, groups };
}
