import type { StepStatus } from '../../model/plan.js';
import { rect, svgDocument, text } from '../svg.js';
import type { StepBar, Timeline } from './recorder.js';

export const STATUS_COLOURS: Readonly<Record<StepStatus, string>> = {
  changed: '#2f6fdf', ok: '#2e9f5b', unchanged: '#b8c2cc', failed: '#d92d20', blocked: '#f79009', skipped: '#e4e7eb', 'rolled-back': '#9e4fd6',
};

const LEFT = 140;
const WIDTH = 1100;
const ROW = 26;
const TOP = 64;

/** A drain window: from a batch's drain wave to its undrain wave, over the hosts its switch wave touched. */
function drainWindows(t: Timeline): { label: string; hosts: string[]; start: number; end: number }[] {
  const out: { label: string; hosts: string[]; start: number; end: number }[] = [];
  for (const drain of t.waves.filter((w) => w.label.endsWith(': drain'))) {
    const batch = drain.label.slice(0, -': drain'.length);
    const undrain = t.waves.find((w) => w.label === `${batch}: undrain` && w.start >= drain.start);
    const middle = t.waves.filter((w) => w.label.startsWith(`${batch}: `) && w !== drain && w !== undrain && w.start >= drain.start);
    const hosts = [...new Set(middle.flatMap((w) => w.hosts))];
    out.push({ label: batch, hosts, start: drain.start, end: undrain?.end ?? Math.max(drain.end, ...middle.map((w) => w.end)) });
  }
  return out;
}

/**
 * The run as a Gantt chart: a row per host, a bar per step (colour = status, outlined = health gate), the waves
 * as shaded columns with their labels, drain windows as amber bands on the drained hosts.
 */
export function timelineSvg(t: Timeline): string {
  const t0 = Math.min(...t.bars.map((b) => b.start), ...t.waves.map((w) => w.start), ...t.runs.map((r) => r.start));
  const t1 = Math.max(...t.bars.map((b) => b.end), ...t.waves.map((w) => w.end), ...t.runs.map((r) => r.end), t0 + 1);
  const span = t1 - t0;
  const x = (ms: number) => LEFT + ((ms - t0) / span) * (WIDTH - LEFT - 20);
  const rowY = (host: string) => TOP + t.hosts.indexOf(host) * ROW;
  const height = TOP + t.hosts.length * ROW + 40;
  const body: string[] = [];
  t.waves.forEach((w, i) => {
    body.push(rect({ x: x(w.start), y: TOP - 22, w: x(w.end) - x(w.start), h: t.hosts.length * ROW + 22 }, { fill: i % 2 ? '#f5f7fa' : '#eef2f7', class: 'wave' }, `wave ${w.label}`));
    body.push(text(x(w.start) + 2, TOP - 28 - (i % 2) * 12, w.label, { 'font-size': 10, fill: '#52606d' }));
  });
  for (const d of drainWindows(t)) {
    for (const h of d.hosts) {
      body.push(rect({ x: x(d.start), y: rowY(h) + 1, w: x(d.end) - x(d.start), h: ROW - 2 }, { fill: '#fdb022', 'fill-opacity': 0.25, class: 'drain' }, `${h} out of the load balancer (${d.label})`));
    }
  }
  t.hosts.forEach((h, i) => {
    body.push(text(8, TOP + i * ROW + 17, h, { 'font-weight': 'bold' }));
    body.push(`<line x1="${LEFT}" y1="${TOP + (i + 1) * ROW}" x2="${WIDTH - 20}" y2="${TOP + (i + 1) * ROW}" stroke="#e4e7eb"/>`);
  });
  for (const b of t.bars) body.push(bar(b, x, rowY(b.host)));
  for (let s = 0; s <= span / 1000; s += tickStep(span)) {
    const at = x(t0 + s * 1000);
    body.push(`<line x1="${at}" y1="${TOP + t.hosts.length * ROW}" x2="${at}" y2="${TOP + t.hosts.length * ROW + 6}" stroke="#52606d"/>`);
    body.push(text(at - 6, TOP + t.hosts.length * ROW + 20, `${s}s`, { 'font-size': 10 }));
  }
  return svgDocument(WIDTH, height, body, 'apim-deploy run timeline');
}

function bar(b: StepBar, x: (ms: number) => number, y: number): string {
  const gate = b.kind === 'wait-healthy';
  const w = Math.max(3, x(b.end) - x(b.start));
  const title = `${b.host}: ${b.kind} ${b.description}: ${b.status} (${((b.end - b.start) / 1000).toFixed(1)} s)${b.reason ? ` — ${b.reason}` : ''}${b.error ? `\n${b.error}` : ''}`;
  return rect({ x: x(b.start), y: y + 5, w, h: ROW - 10 },
    { fill: STATUS_COLOURS[b.status], stroke: gate ? '#1f2933' : 'none', 'stroke-width': gate ? 1.5 : 0, class: `step ${b.status}${gate ? ' gate' : ''}` }, title);
}

/** 1, 2, 5, 10, 30 or 60 s between ticks: about ten ticks across. */
function tickStep(spanMs: number): number {
  const s = spanMs / 1000 / 10;
  return [1, 2, 5, 10, 30, 60, 120, 300].find((c) => c >= s) ?? 600;
}
