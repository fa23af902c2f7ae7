/**
 * Zero failed requests for real clients: pattern 3 (2 control planes, 1 traffic manager, 3 gateways, HAProxy,
 * PostgreSQL) on lab hosts, `upgrade` 4.6.0 → 4.6.0 update level 12, `rollback` and `provision --rolling` through the real CLI
 * while every client kind of support/traffic.ts runs: GET and POST over keep-alive and fresh connections on 8280 and
 * 8243, 5 s requests in flight, sticky portal users on 443. For each command: no request fails, every POST reached
 * one node exactly once, a portal user loses its session only while its own node is out of the balancer, a slow
 * request in flight on a node being drained is answered by it, and a node is put back only after the balancer's own
 * check saw it up.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDistributions } from '../../src/lab/dist/build.js';
import {
  baseVars, makeWorkspace, postgres, provisionCli, startLab, waitFor, writeDeployment, type DeploymentSpec, type TestLab, type Workspace,
} from './support/index.js';
import { drainWindows, startCli, type TimedEvent } from './support/timed-cli.js';
import { currentVersions, postDeliveries } from './support/rollout-state.js';
import { exactlyOnce, startTraffic, trafficFailures, type TrafficReport } from './support/traffic.js';

const HOSTS = ['cp-1', 'cp-2', 'tm-1', 'gw-1', 'gw-2', 'gw-3', 'lb-1', 'db-1'];
const GATEWAYS = ['gw-1', 'gw-2', 'gw-3'];
let lab: TestLab | undefined;
let ws: Workspace | undefined;

const spec = (version: string, heap = '256m'): DeploymentSpec => ({
  name: 'zero', pattern: 3, version,
  hosts: Object.fromEntries(HOSTS.map((h) => [h, {}])),
  roles: { 'control-plane': ['cp-1', 'cp-2'], 'traffic-manager': ['tm-1'], gateway: GATEWAYS, 'load-balancer': ['lb-1'], database: ['db-1'] },
  vars: { ...baseVars(postgres('db-1')), jvm_heap: heap, load_balancer: 'haproxy' },
});
const write = (version: string, heap?: string) => writeDeployment(spec(version, heap), lab!, ws!).inventory;

const delivered = () => postDeliveries(lab!, GATEWAYS);

/** Runs the CLI under traffic and checks everything the issue asks of a rollout; returns the events and the report. */
async function underTraffic(args: readonly string[]): Promise<{ events: readonly TimedEvent[]; report: TrafficReport }> {
  const before = await delivered();
  const traffic = startTraffic(lab!.address('lb-1'));
  await waitFor('every portal user to have a session', () => traffic.progress().portalUsers.filter(Boolean).length === 4, { timeoutMs: 120_000 });
  const done = await startCli([...args, '--json', '--health-timeout', '120']).done;
  const report = await traffic.stop();
  expect(done.code, `${done.stderr}\n${done.stdout.slice(-3000)}`).toBe(0);

  expect(report.failed, trafficFailures(report)).toBe(0);
  for (const kind of Object.keys(report.kinds)) expect(report.kinds[kind]!.sent, kind).toBeGreaterThan(0);
  const fresh = new Map([...(await delivered())].filter(([id]) => !before.has(id)));
  expect(exactlyOnce(report, fresh)).toEqual([]);
  expect(report.posts.size).toBeGreaterThan(100);

  const windows = drainWindows(done.events);
  expect(windows.size, 'drain windows seen in the --json events').toBeGreaterThan(0);
  const hostOf = (address: string) => HOSTS.find((h) => lab!.address(h) === address) ?? address;
  const inOwnWindow = (host: string, at: number) => (windows.get(host) ?? []).some((w) => at >= w.from - 1000 && at <= w.to + 1000);
  const strayLosses = report.sessionLosses.filter((l) => !inOwnWindow(hostOf(l.from), l.at));
  expect(strayLosses, 'portal sessions lost by users whose node stayed in the balancer').toEqual([]);

  // A slow request in flight on a gateway when it was taken out was answered by that gateway.
  const caught = GATEWAYS.filter((g) => (windows.get(g) ?? []).some((w) => report.slow.some((s) => s.host === g && s.sentAt < w.from && s.answeredAt > w.from)));
  expect(caught.length, 'gateways drained with a slow request in flight').toBeGreaterThan(0);

  // Every node rejoins only after the balancer's own check saw it up.
  for (const e of done.events.filter((x): x is TimedEvent & { type: 'step-start' } => x.type === 'step-start' && x.kind === 'balancer-set' && x.stepId.includes('/ready-'))) {
    const node = e.stepId.split('/ready-')[1]!;
    const checked = done.events.some((x) => x.type === 'step-end' && x.kind === 'wait-routable' && x.stepId.endsWith(`/${node}`) && x.status === 'ok' && x.receivedAt <= e.receivedAt);
    expect(checked, `${node}: put back before the balancer routed to it`).toBe(true);
  }
  expect(done.events.some((x) => x.type === 'step-start' && x.kind === 'reload-component'), 'the balancer was reloaded').toBe(false);
  return { events: done.events, report };
}

beforeAll(async () => {
  ws = await makeWorkspace('apim-zero', { version: '4.6.0' });
  await buildDistributions({ version: '4.6.0', updateLevel: 12, outDir: ws.distDir });
  lab = await startLab({ name: 't-zero', names: HOSTS, subnet: '10.213.236.0/24' });
  const run = await provisionCli(write('4.6.0'));
  if (run.code !== 0) throw new Error(`provision at 4.6.0 failed (${run.code}): ${run.stderr}\n${run.stdout.slice(-3000)}`);
}, 300_000);

afterAll(async () => {
  await lab?.down();
  ws?.cleanup();
}, 120_000);

describe('rollouts behind HAProxy under every kind of client', () => {
  it('upgrade 4.6.0 → 4.6.0.12: zero failed requests, every POST once, sticky users kept', async () => {
    const { events } = await underTraffic(['upgrade', '-i', write('4.6.0.12')]);
    expect([...drainWindows(events).keys()].sort()).toEqual(['cp-1', 'cp-2', 'gw-1', 'gw-2', 'gw-3']);
    expect(Object.values(await currentVersions(lab!, GATEWAYS.map((g) => `${g}/gateway`)))).toEqual(GATEWAYS.map(() => '4.6.0.12'));
  }, 900_000);

  it('rollback to 4.6.0: the same', async () => {
    await underTraffic(['rollback', '-i', write('4.6.0.12')]);
    expect(Object.values(await currentVersions(lab!, GATEWAYS.map((g) => `${g}/gateway`)))).toEqual(GATEWAYS.map(() => '4.6.0'));
  }, 900_000);

  it('provision --rolling of a heap change: the same', async () => {
    const { events } = await underTraffic(['provision', '-i', write('4.6.0', '320m'), '--rolling']);
    expect(events.flatMap((e) => (e.type === 'step-end' && e.kind === 'stop-component' && e.status === 'changed' ? [e.host] : [])).sort())
      .toEqual(['cp-1', 'cp-2', 'gw-1', 'gw-2', 'gw-3', 'tm-1']);
  }, 900_000);
});
