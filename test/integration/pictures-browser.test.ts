/**
 * The graph and the run report in a real browser: Debian's chromium, headless, takes a screenshot of each HTML
 * file; the picture must not be blank (pixel variance over the page) and the page must not ask the network.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadInventory } from '../../src/inventory/load.js';
import { graphHtml } from '../../src/ui/graph/html.js';
import { createRunRecorder } from '../../src/ui/run-report/recorder.js';
import { runReportHtml } from '../../src/ui/run-report/report-html.js';
import { topologyGraph } from '../../src/workflows/graph.js';

const REPO = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'apim-browser-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function screenshot(html: string, name: string): PNG {
  const page = join(dir, `${name}.html`);
  const png = join(dir, `${name}.png`);
  writeFileSync(page, html);
  execFileSync('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${mkdtempSync(join(dir, 'chromium-'))}`, '--window-size=1400,1000',
    `--screenshot=${png}`, `file://${page}`], { timeout: 120_000, stdio: 'pipe' });
  return PNG.sync.read(readFileSync(png));
}

/** Variance of the grey level over every pixel: 0 for a blank page. */
function variance(img: PNG): number {
  let sum = 0;
  let sq = 0;
  const n = img.width * img.height;
  for (let i = 0; i < img.data.length; i += 4) {
    const g = (img.data[i]! + img.data[i + 1]! + img.data[i + 2]!) / 3;
    sum += g;
    sq += g * g;
  }
  return sq / n - (sum / n) ** 2;
}

/** Share of pixels that are not (near) white: the drawing covers some of the page. */
const inked = (img: PNG): number => {
  let ink = 0;
  for (let i = 0; i < img.data.length; i += 4) if (img.data[i]! + img.data[i + 1]! + img.data[i + 2]! < 700) ink++;
  return ink / (img.width * img.height);
};

describe('pictures in a real browser', () => {
  it('graph --format html of the multi-DC example is drawn', async () => {
    const inv = await loadInventory(join(REPO, 'inventories/multi-dc-active-passive.yaml'),
      { envFile: join(REPO, 'inventories/multi-dc-active-passive.env.example'), requireArtifacts: false });
    const html = graphHtml(topologyGraph(inv));
    expect(html).not.toMatch(/<script|src="http|href="http/);
    const img = screenshot(html, 'graph');
    expect(img.width).toBe(1400);
    expect(variance(img)).toBeGreaterThan(100);
    expect(inked(img)).toBeGreaterThan(0.02);
  }, 180_000);

  it('a run report is drawn', () => {
    const r = createRunRecorder(() => 0);
    r.onEvent({ type: 'run-start', at: 0, waves: [{ label: 'gateway', hosts: ['gw-1', 'gw-2'], steps: 2 }] });
    r.onEvent({ type: 'wave-start', at: 0, index: 0, label: 'gateway', hosts: ['gw-1', 'gw-2'] });
    for (const [host, status] of [['gw-1', 'changed'], ['gw-2', 'failed']] as const) {
      r.onEvent({ type: 'step-start', at: 10, wave: 0, host, stepId: `${host}/wait-healthy/gateway`, kind: 'wait-healthy', description: 'gate' });
      r.onEvent({ type: 'step-end', at: 3000, wave: 0, host, stepId: `${host}/wait-healthy/gateway`, kind: 'wait-healthy', description: 'gate', status, reason: '', durationMs: 2990, warnings: [] });
    }
    r.onEvent({ type: 'wave-end', at: 3000, index: 0, label: 'gateway', durationMs: 3000 });
    r.onEvent({ type: 'run-end', at: 3000, durationMs: 3000, failed: true, aborted: false, recap: [] });
    const img = screenshot(runReportHtml(r.timeline(), { command: 'provision -i inv.yaml', startedAt: '2026-12-01T00:00:00Z', exitCode: 1 }), 'report');
    expect(variance(img)).toBeGreaterThan(100);
    expect(inked(img)).toBeGreaterThan(0.01);
  }, 180_000);
});
