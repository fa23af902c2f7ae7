/**
 * What the migrate lab tests read during a switch: which side an HAProxy balancer sends clients to (its runtime API,
 * not the config), and a CLI run while clients send through one or more balancers.
 */
import { expect } from 'vitest';
import { runCli, type CliResult } from './cli.js';
import { tryRequest } from './http.js';
import type { TestLab } from './lab.js';
import { waitFor } from '../../support/wait.js';
import { formatTraffic, startTraffic, trafficFailures, type TrafficReport } from './traffic.js';

/**
 * The client backends' servers HAProxy on `lb` has in service (`ready`: admin flags without 0x01/0x02/0x20 maint or
 * drain; 0x04 only records `disabled` in the config), as `<backend>/<address>:<port>`; the green-only listener left out.
 */
export async function haproxyClientServers(lab: TestLab, lb: string): Promise<string[]> {
  return (await lab.sh(lb, `echo "show servers state" | socat -t 5 stdio unix-connect:/run/haproxy/admin.sock | awk 'NF >= 7 && $1 !~ /^#/ && $2 != "apim_green_gateway_http" { a = $7; if (a % 4 == 0 && int(a / 32) % 2 == 0 && int(a / 8) % 4 == 0) print $2 "/" $4 }'`))
    .split('\n').filter(Boolean);
}

/**
 * Whether `migrate --read-only-window` refuses a design-time write through the balancer on `lb` (`path`, default a
 * publisher POST): the window's 503 and header, whatever the node behind would answer.
 */
export async function windowRefuses(lab: TestLab, lb: string, method = 'POST', path = '/api/am/publisher/v4/apis'): Promise<boolean> {
  const a = await tryRequest(method, `https://${lab.address(lb)}:443${path}`, { name: 'Window', context: '/window', version: '1.0' });
  return a.status === 503 && a.headers?.['x-apim-deploy-window'] === 'read-only';
}

/** `blue`, `green`, or `mixed (…)`: which hosts' servers a balancer has in service. */
export function sideOf(lab: TestLab, servers: readonly string[], blue: readonly string[], green: readonly string[]): string {
  const on = (hosts: readonly string[]) => servers.filter((s) => hosts.some((h) => s.includes(`/${lab.address(h)}:`))).length;
  const b = on(blue);
  const g = on(green);
  return b > 0 && g === 0 ? 'blue' : g > 0 && b === 0 ? 'green' : `mixed (${b} blue, ${g} green)`;
}

export interface LoadedRun {
  readonly run: CliResult;
  /** One per balancer, in the order given. */
  readonly reports: readonly TrafficReport[];
  readonly ms: number;
}

/**
 * Runs the CLI (with --json) while every client kind of support/traffic.ts sends through each balancer; portal users
 * only where `portals` says the balancer fronts the control plane.
 */
export async function runUnderLoad(lab: TestLab, balancers: readonly { host: string; portals: boolean }[], args: readonly string[], timeoutMs = 900_000): Promise<LoadedRun> {
  const traffic = balancers.map((b) => startTraffic(lab.address(b.host), { portalUsers: b.portals ? 4 : 0 }));
  await waitFor('traffic flowing through every balancer', () => traffic.every((t, i) => t.progress().sent > 100
    && (!balancers[i]!.portals || t.progress().portalUsers.filter(Boolean).length === 4)), { timeoutMs: 120_000 });
  const started = performance.now();
  const run = await runCli([...args, '--json'], { timeoutMs });
  const ms = Math.round(performance.now() - started);
  const reports = await Promise.all(traffic.map((t) => t.stop()));
  console.log(`${args.join(' ')}: exit ${run.code} in ${ms} ms\n${reports.map((r, i) => `${balancers[i]!.host}:\n${formatTraffic(r).join('\n')}`).join('\n')}`);
  return { run, reports, ms };
}

/** No request failed, through every balancer, and each sent POSTs (the kinds a switch can break). */
export function expectNoFailures(reports: readonly TrafficReport[], minPosts = 20): void {
  for (const report of reports) {
    expect(report.failed, trafficFailures(report)).toBe(0);
    for (const [kind, k] of Object.entries(report.kinds)) expect(k.sent, kind).toBeGreaterThan(0);
    expect(report.posts.size).toBeGreaterThan(minPosts);
  }
}
