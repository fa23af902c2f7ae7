import { esc, htmlPage, rect, svgDocument, text } from '../svg.js';
import type { Timeline } from './recorder.js';
import { STATUS_COLOURS, timelineSvg } from './timeline-svg.js';

export interface ReportMeta {
  /** As typed: `provision -i inventories/eu-prod.yaml`. */
  readonly command: string;
  readonly startedAt: string;
  readonly exitCode: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function legend(): string {
  const entries = Object.entries(STATUS_COLOURS);
  const body = entries.map(([status, fill], i) => rect({ x: 10 + i * 110, y: 8, w: 14, h: 14 }, { fill }) + text(28 + i * 110, 20, status));
  body.push(rect({ x: 10 + entries.length * 110, y: 8, w: 14, h: 14 }, { fill: '#fff', stroke: '#1f2933', 'stroke-width': 1.5 }) + text(28 + entries.length * 110, 20, 'health gate'));
  body.push(rect({ x: 10 + (entries.length + 1) * 110, y: 8, w: 14, h: 14 }, { fill: '#fdb022', 'fill-opacity': 0.25 }) + text(28 + (entries.length + 1) * 110, 20, 'drained'));
  return svgDocument(10 + (entries.length + 2) * 110, 30, body, 'legend');
}

/** The run report: what ran, how long, the timeline, the failures and the notices, in one file with no script. */
export function runReportHtml(t: Timeline, meta: ReportMeta): string {
  const t0 = Math.min(...t.bars.map((b) => b.start), ...t.runs.map((r) => r.start), ...t.notices.map((n) => n.at));
  const t1 = Math.max(...t.bars.map((b) => b.end), ...t.runs.map((r) => r.end), t0);
  const failures = t.bars.filter((b) => b.status === 'failed' || b.status === 'rolled-back' || b.status === 'blocked');
  const verdict = meta.exitCode === 0 ? 'OK' : meta.exitCode === 130 ? 'INTERRUPTED' : `FAILED (exit ${meta.exitCode})`;
  const counts = Object.keys(STATUS_COLOURS).map((s) => [s, t.bars.filter((b) => b.status === s).length] as const).filter(([, n]) => n > 0);
  const body = [
    `<h1>apim-deploy ${esc(meta.command)}</h1>`,
    `<p class="meta">started ${esc(meta.startedAt)} · ${seconds(t1 - t0)} · ${t.hosts.length} hosts · ${t.bars.length} steps (${counts.map(([s, n]) => `${n} ${s}`).join(', ')}) · ${t.waves.length} waves · <b class="${meta.exitCode === 0 ? '' : 'fail'}">${verdict}</b></p>`,
    t.bars.length > 0 ? timelineSvg(t) : '<p>No step ran.</p>',
    legend(),
  ];
  if (failures.length > 0) {
    body.push('<h2>Failures</h2><table><tr><th>host</th><th>step</th><th>status</th><th>why</th></tr>');
    for (const f of failures) body.push(`<tr><td>${esc(f.host)}</td><td>${esc(f.stepId)}</td><td class="fail">${esc(f.status)}</td><td>${esc(f.error ?? f.reason)}${f.detail ? `<pre>${esc(f.detail)}</pre>` : ''}</td></tr>`);
    body.push('</table>');
  }
  body.push('<h2>Waves</h2><table><tr><th>wave</th><th>hosts</th><th>from</th><th>took</th></tr>');
  for (const w of t.waves) body.push(`<tr><td>${esc(w.label)}</td><td>${esc(w.hosts.join(', '))}</td><td>${seconds(w.start - t0)}</td><td>${seconds(w.end - w.start)}</td></tr>`);
  body.push('</table>');
  if (t.notices.length > 0) body.push('<h2>Notices</h2><pre>', ...t.notices.map((n) => `${seconds(n.at - t0).padStart(8)}  ${esc(n.text)}`), '</pre>');
  return htmlPage(`apim-deploy ${meta.command}`, body);
}
