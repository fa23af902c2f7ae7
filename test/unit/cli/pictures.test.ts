/** graph's SVG parsed back (every host and wire present, no two boxes or wire labels overlapping) and the run report from events. */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../../src/inventory/load.js';
import type { RunEvent } from '../../../src/model/events.js';
import { graphMermaid } from '../../../src/ui/graph/mermaid.js';
import { graphSvg } from '../../../src/ui/graph/svg.js';
import { createRunRecorder } from '../../../src/ui/run-report/recorder.js';
import { runReportHtml } from '../../../src/ui/run-report/report-html.js';
import { topologyGraph } from '../../../src/workflows/graph.js';

const REPO = resolve(import.meta.dirname, '../../..');
const examples = readdirSync(join(REPO, 'inventories')).filter((f) => f.endsWith('.yaml') && f !== 'lab.yaml');
const attrs = (tag: string): Record<string, string> => Object.fromEntries([...tag.matchAll(/([a-z-]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));

describe.each(examples)('graph of inventories/%s', (file) => {
  it('draws every host once, every wire, and no two host boxes overlap', async () => {
    const inv = await loadInventory(join(REPO, 'inventories', file), { envFile: join(REPO, 'inventories', file.replace(/\.yaml$/, '.env.example')), requireArtifacts: false });
    const g = topologyGraph(inv);
    const svg = graphSvg(g);
    const hosts = [...svg.matchAll(/<g class="host" data-host="([^"]+)">\s*(<rect [^>]*>)/g)].map((m): Record<string, string> & { name: string } => ({ ...attrs(m[2]!), name: m[1]! }));
    expect(hosts.map((h) => h.name).sort()).toEqual(inv.hosts.map((h) => h.name).sort());
    const edges = [...svg.matchAll(/<path class="edge" ([^>]*)>/g)].map((m) => attrs(m[1]!));
    expect(edges).toHaveLength(g.edges.length);
    for (const e of g.edges) expect(edges).toContainEqual(expect.objectContaining({ 'data-from': e.from, 'data-to': e.to, 'data-kind': e.kind }));
    const boxes = hosts.map((h) => ({ name: h.name, x: Number(h["x"]), y: Number(h["y"]), w: Number(h["width"]), h: Number(h["height"]) }));
    for (const a of boxes) for (const b of boxes) {
      if (a === b) continue;
      const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
      expect(overlap, `${a.name} overlaps ${b.name}`).toBe(false);
    }
    // Every wire's label is readable: on no host box and on no other label.
    const labels = [...svg.matchAll(/<rect ([^>]*class="wire-label"[^>]*)>/g)].map((m) => attrs(m[1]!)).map((l) => ({ x: Number(l["x"]), y: Number(l["y"]), w: Number(l["width"]), h: Number(l["height"]) }));
    expect(labels).toHaveLength(g.edges.length);
    const overlaps = (p: { x: number; y: number; w: number; h: number }, q: typeof p) => p.x < q.x + q.w && q.x < p.x + p.w && p.y < q.y + q.h && q.y < p.y + p.h;
    labels.forEach((l, i) => {
      for (const b of boxes) expect(overlaps(l, b), `label ${i} on host ${b.name}`).toBe(false);
      labels.slice(i + 1).forEach((m, j) => expect(overlaps(l, m), `labels ${i} and ${i + 1 + j} overlap`).toBe(false));
    });
    // Every WSO2 gateway has its wiring: throttling or event hub, and a balancer upstream when there is a balancer.
    const gw = inv.hosts.find((h) => h.roles.includes('gateway'));
    if (gw) expect(g.edges.some((e) => e.from === gw.name && (e.kind === 'throttling' || e.kind === 'event hub'))).toBe(true);
    if (gw && inv.hosts.some((h) => h.roles.includes('load-balancer'))) expect(g.edges.some((e) => e.to === gw.name && e.kind === 'upstream')).toBe(true);
    const mermaid = graphMermaid(g);
    for (const h of inv.hosts) expect(mermaid).toContain(`["${h.name}<br/>`);
    expect(mermaid.split('\n').filter((l) => l.includes('-->'))).toHaveLength(g.edges.length);
  });
});

describe('run report', () => {
  it('draws a bar per step per host, the waves, the gates, the drain window and the failures, from events', () => {
    const r = createRunRecorder(() => 500);
    const step = (at: number, host: string, kind: 'drain' | 'stop-component' | 'wait-healthy', wave: number, status: 'changed' | 'ok' | 'failed', dur: number): RunEvent[] => [
      { type: 'step-start', at, wave, host, stepId: `${host}/${kind}/gateway`, kind, description: kind },
      { type: 'step-end', at: at + dur, wave, host, stepId: `${host}/${kind}/gateway`, kind, description: kind, status, reason: status === 'failed' ? 'health gate timed out' : '', durationMs: dur, warnings: [], ...(status === 'failed' ? { error: { name: 'HealthTimeoutError', message: 'gw-2: not healthy after 300 s', detail: 'last lines of wso2carbon.log:\nERROR <keystore>' } } : {}) },
    ];
    const events: RunEvent[] = [
      { type: 'run-start', at: 0, waves: [{ label: 'gateway batch 1/2: drain', hosts: ['lb-1'], steps: 1 }] },
      { type: 'wave-start', at: 0, index: 0, label: 'gateway batch 1/2: drain', hosts: ['lb-1'] }, ...step(0, 'lb-1', 'drain', 0, 'changed', 100),
      { type: 'wave-end', at: 100, index: 0, label: 'gateway batch 1/2: drain', durationMs: 100 },
      { type: 'run-end', at: 100, durationMs: 100, failed: false, aborted: false, recap: [] },
      { type: 'run-start', at: 100, waves: [{ label: 'gateway batch 1/2: switch', hosts: ['gw-1', 'gw-2'], steps: 4 }] },
      { type: 'wave-start', at: 100, index: 0, label: 'gateway batch 1/2: switch', hosts: ['gw-1', 'gw-2'] },
      ...step(100, 'gw-1', 'stop-component', 0, 'changed', 200), ...step(300, 'gw-1', 'wait-healthy', 0, 'ok', 400),
      ...step(100, 'gw-2', 'stop-component', 0, 'changed', 200), ...step(300, 'gw-2', 'wait-healthy', 0, 'failed', 900),
      { type: 'wave-end', at: 1200, index: 0, label: 'gateway batch 1/2: switch', durationMs: 1100 },
      { type: 'run-end', at: 1200, durationMs: 1100, failed: true, aborted: false, recap: [] },
    ];
    for (const e of events) r.onEvent(e);
    r.onNotice('== gateway batch 1/2: gw-1 4.5.0 → 4.6.0');
    const html = runReportHtml(r.timeline(), { command: 'upgrade -i inv.yaml', startedAt: '2026-12-01T00:00:00Z', exitCode: 5 });
    expect([...html.matchAll(/class="step /g)]).toHaveLength(5);
    expect([...html.matchAll(/class="step [a-z-]+ gate"/g)]).toHaveLength(2);
    expect([...html.matchAll(/class="wave"/g)]).toHaveLength(2);
    expect([...html.matchAll(/class="drain"/g)]).toHaveLength(2);
    expect(html).toContain('gw-2: not healthy after 300 s');
    expect(html).toContain('<pre>last lines of wso2carbon.log:\nERROR &lt;keystore&gt;</pre>');
    expect(html).toContain('FAILED (exit 5)');
    expect(html).toContain('gw-1 4.5.0 → 4.6.0');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });
});
