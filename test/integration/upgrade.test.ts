/**
 * Rolling upgrade of pattern 3 (2 control planes, 2 traffic managers, 3 gateways behind nginx, PostgreSQL) on lab
 * hosts, 4.6.0 → 4.6.0 update level 12 (`4.6.0.12`: the packs WSO2 Updates produce; a change of version goes through
 * `migrate`), through the real CLI while a load generator sends GET /echo through nginx the whole time.
 * Then: a second upgrade refused by the lock, `rollback` back to 4.6.0, a 4.6.0.12 gateway built to fail its gate
 * (rolled back, rollout stopped, other gateways untouched), and Ctrl-C in the middle of a gateway batch.
 * Last, `provision --rolling` of config changes on the same lab: gateways restart one at a time under load, and
 * a config the gateway refuses is reverted on the first gateway alone.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { buildDistributions } from '../../src/lab/dist/build.js';
import { PEER_COPY_MIN_BYTES } from '../../src/planner/peer-copy.js';
import type { RunEvent } from '../../src/model/events.js';
import { echoRelease } from '../support/release-label.js';
import { currentVersions as versionsOf } from './support/rollout-state.js';
import {
  baseVars, failureSummary, stepEnds, healthEndpoints, httpGet, interruptCli, postgres, provisionCli, runCli, startLoad, unhealthyEndpoints, useLab, waitFor, wso2Pids,
  type DeploymentSpec,
} from './support/index.js';

const HOSTS = ['cp-1', 'cp-2', 'tm-1', 'tm-2', 'gw-1', 'gw-2', 'gw-3', 'lb-1', 'db-1'];
const WSO2 = ['cp-1/control-plane', 'cp-2/control-plane', 'tm-1/traffic-manager', 'tm-2/traffic-manager', 'gw-1/gateway', 'gw-2/gateway', 'gw-3/gateway'];
const lab = useLab({ workspace: 'apim-upg', versions: ['4.6.0', '4.6.0.12'], lab: { name: 't-upg-a', names: HOSTS, subnet: '10.213.230.0/24' } });
let inventory: string;

const spec = (version: string): DeploymentSpec => ({
  name: 'upg', pattern: 3, version,
  hosts: Object.fromEntries(HOSTS.map((h) => [h, {}])),
  roles: { 'control-plane': ['cp-1', 'cp-2'], 'traffic-manager': ['tm-1', 'tm-2'], gateway: ['gw-1', 'gw-2', 'gw-3'], 'load-balancer': ['lb-1'], database: ['db-1'] },
  vars: baseVars(postgres('db-1')),
});

/** `current` of each WSO2 node, as `4.6.0` or `4.6.0.12` (support/rollout-state.ts). */
const currentVersions = () => versionsOf(lab, WSO2);

const echoUrl = () => `http://${lab.address('lb-1')}:8280/echo`;
const upgradeArgs = (...extra: string[]) => ['upgrade', '-i', inventory, '--json', '--health-timeout', '120', ...extra];

/** The order WSO2 nodes were started in (their start-component step-ends), with start and gate times. */
function windows(events: readonly RunEvent[]): { host: string; start: number; end: number }[] {
  const starts = new Map<string, number>();
  const out: { host: string; start: number; end: number }[] = [];
  for (const e of events) {
    if (e.type === 'step-start' && e.kind === 'stop-component') starts.set(e.host, e.at);
    if (e.type === 'step-end' && e.kind === 'wait-healthy' && starts.has(e.host)) out.push({ host: e.host, start: starts.get(e.host)!, end: e.at });
  }
  return out;
}

beforeAll(async () => {
  inventory = lab.deploy(spec('4.6.0')).inventory;
  const run = await provisionCli(inventory);
  if (run.code !== 0) throw new Error(`provision at 4.6.0 failed: ${failureSummary(run)}`);
  // The 4.6.0.12 packs padded above peer copy's floor, so the staging copies each from a peer (issue 13).
  await buildDistributions({ version: '4.6.0', updateLevel: 12, outDir: lab.ws.distDir, padMb: PEER_COPY_MIN_BYTES / (1024 * 1024) + 1 });
  inventory = lab.deploy(spec('4.6.0.12')).inventory;
}, 300_000);

describe('rolling upgrade on lab hosts', () => {
  it('--dry-run shows the staging and every batch in order, with the balancer diffs, and changes nothing', async () => {
    const audit = async () => (await lab.exec('cp-1', ['sh', '-c', 'cat /var/log/apim-deploy/audit.log 2>/dev/null'])).stdout;
    const snapshot = async () => Promise.all(['cp-1', 'gw-1', 'lb-1'].map((h) =>
      lab.sh(h, 'ls -la /opt/wso2/.artifacts /opt/wso2/*/releases /opt/wso2/*/ 2>/dev/null; sha256sum /etc/nginx/nginx.conf 2>/dev/null; true')));
    const [auditBefore, before] = [await audit(), await snapshot()];
    const run = await runCli(['upgrade', '-i', inventory, '--dry-run'], { timeoutMs: 120_000 });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^upgrade preview: 7 of 7 node\(s\) to 4\.6\.0; nothing was changed, no lock taken/);
    const waves = [...run.stdout.matchAll(/^== wave \d+: (.+)$/gm)].map((m) => m[1]);
    expect(waves.slice(0, 2)).toEqual(['stage: hosts', 'stage: 4.6.0 releases']);
    const switches = waves.filter((w) => w!.endsWith(': switch'));
    expect(switches).toEqual(['control-plane batch 1/2', 'control-plane batch 2/2', 'traffic-manager batch 1/2', 'traffic-manager batch 2/2',
      'gateway batch 1/3', 'gateway batch 2/3', 'gateway batch 3/3'].map((b) => `${b}: switch`));
    expect(run.stdout).toContain('switch 4.6.0 → 4.6.0');
    expect(run.stdout).toMatch(/-\s+server [\d.]+:8280;\n\s+\+\s+server [\d.]+:8280 down;/);
    expect(run.stdout).not.toContain('it-Admin-pw1');
    expect(await snapshot()).toEqual(before);
    expect(await audit()).toBe(auditBefore);
    expect((await runCli(['lock', 'status', '-i', inventory])).stdout).toMatch(/not locked/);
  }, 120_000);

  it('upgrades 4.6.0 → 4.6.0.12 with zero failed requests; control planes and traffic managers one at a time; a second run is refused by the lock', async () => {
    expect(Object.values(await currentVersions())).toEqual(WSO2.map(() => '4.6.0'));
    const load = startLoad(echoUrl());
    const first = runCli(upgradeArgs(), { timeoutMs: 400_000 });
    // The second run starts once the first holds the lock.
    let firstEnded = false;
    void first.finally(() => (firstEnded = true));
    await waitFor('the first upgrade to hold the deploy lock', async () => {
      if (firstEnded) throw new Error('the first upgrade ended before it was seen holding the lock');
      return (await lab.exec('cp-1', ['test', '-e', '/var/lib/apim-deploy/deploy.lock'])).code === 0;
    }, { timeoutMs: 300_000, intervalMs: 200 });
    const second = await runCli(upgradeArgs());
    const run = await first;
    const report = await load.stop();
    expect(run.code, run.stderr + run.stdout.slice(-4000)).toBe(0);
    expect(second?.code).not.toBe(0);
    expect(second?.stderr).toMatch(/locked by \S+@\S+ \(pid \d+\) running `upgrade`/);

    expect(report.failed, report.failures.join('\n')).toBe(0);
    expect(report.served).toBeGreaterThan(50);
    expect(Object.values(await currentVersions())).toEqual(WSO2.map(() => '4.6.0.12'));
    // Staging: each new pack crossed the controller link once; the second control plane, traffic manager and the
    // other gateways copied it from a peer, with no fallback.
    const copies = stepEnds(run.events).filter((e) => e.kind === 'peer-fetch');
    expect(copies.map((e) => e.host).sort()).toEqual(['cp-2', 'gw-2', 'gw-3', 'tm-2']);
    for (const e of copies) expect([e.status, e.warnings], e.host).toEqual(['changed', []]);
    // Each new release got the internal CA in its truststore while staged (inRelease): no node's window runs a setup.
    let wave = '';
    const setups = run.events.flatMap((e) => {
      if (e.type === 'wave-start') wave = e.label;
      return e.type === 'step-end' && e.kind === 'run-once' && e.stepId.includes('/setup-') ? [`${e.host} ${e.status} in ${wave}`] : [];
    });
    expect(setups.sort()).toEqual(WSO2.map((n) => `${n.split('/')[0]} changed in stage: 4.6.0 releases`).sort());
    for (const gw of ['gw-1', 'gw-2', 'gw-3']) {
      const echo = await httpGet(`http://${lab.address(gw)}:8280/echo`);
      expect(echoRelease(echo.body)).toBe('4.6.0.12');
    }
    // Windows (stop → gate) never overlap for control planes, traffic managers, or across roles.
    const w = windows(run.events);
    expect(w.map((x) => x.host)).toEqual(['cp-1', 'cp-2', 'tm-1', 'tm-2', 'gw-1', 'gw-2', 'gw-3']);
    for (let i = 1; i < w.length; i++) expect(w[i]!.start).toBeGreaterThanOrEqual(w[i - 1]!.end);
    expect(await unhealthyEndpoints(await healthEndpoints(inventory))).toEqual([]);
    expect((await lab.exec('cp-1', ['cat', '/var/log/apim-deploy/audit.log'])).stdout).toMatch(/"outcome":"ok"/);
  }, 400_000);

  it('rollback takes every node back to 4.6.0, gateways first', async () => {
    const load = startLoad(echoUrl());
    const run = await runCli(['rollback', '-i', inventory, '--json', '--health-timeout', '120'], { timeoutMs: 400_000 });
    const report = await load.stop();
    expect(run.code, run.stderr + run.stdout.slice(-4000)).toBe(0);
    expect(report.failed, report.failures.join('\n')).toBe(0);
    expect(Object.values(await currentVersions())).toEqual(WSO2.map(() => '4.6.0'));
    expect(windows(run.events).map((x) => x.host)).toEqual(['gw-1', 'gw-2', 'gw-3', 'tm-1', 'tm-2', 'cp-1', 'cp-2']);
  }, 400_000);

  it('a gateway that fails its gate is rolled back to 4.6.0 and serves; the rollout stops, other gateways untouched', async () => {
    const badDir = join(lab.ws.dir, 'dist-bad');
    await buildDistributions({ version: '4.6.0', updateLevel: 12, outDir: badDir, fault: 'unhealthy' });
    // The same deployment (same name, so the same internal CA the running nodes trust) with good control plane and
    // traffic manager packs and a gateway pack that never gets ready; put back after the test.
    const bad = lab.deploy(spec('4.6.0.12')).inventory;
    const { readFileSync, writeFileSync } = await import('node:fs');
    writeFileSync(bad, readFileSync(bad, 'utf8').replace(join(lab.ws.distDir, 'wso2am-universal-gw-'), join(badDir, 'wso2am-universal-gw-')));
    onTestFinished(() => void lab.deploy(spec('4.6.0.12')));
    const untouched = await wso2Pids(lab, ['gw-2/gateway', 'gw-3/gateway']);
    const load = startLoad(echoUrl());
    const run = await runCli(['upgrade', '-i', bad, '--json', '--health-timeout', '45'], { timeoutMs: 400_000 });
    const report = await load.stop();
    expect(run.code).toBe(5);
    expect(report.failed, report.failures.join('\n')).toBe(0);
    const v = await currentVersions();
    expect(v).toMatchObject({ 'cp-1/control-plane': '4.6.0.12', 'tm-2/traffic-manager': '4.6.0.12', 'gw-1/gateway': '4.6.0', 'gw-2/gateway': '4.6.0', 'gw-3/gateway': '4.6.0' });
    expect(await wso2Pids(lab, ['gw-2/gateway', 'gw-3/gateway'])).toEqual(untouched);
    expect(echoRelease((await httpGet(`http://${lab.address('gw-1')}:8280/echo`)).body)).toBe('4.6.0');
    expect(run.events.some((e) => e.type === 'step-end' && e.host === 'gw-1' && e.status === 'rolled-back')).toBe(true);
    const versions = JSON.parse(run.stdout.split('\n').find((l) => l.startsWith('{"versions"'))!) as { versions: { node: { host: string }; before: string; after: string; outcome: string }[] };
    // The report names versions (x.y.z), not update levels: both sides of this roll are 4.6.0; the outcome tells.
    expect(versions.versions.find((v) => v.node.host === 'gw-1')).toMatchObject({ before: '4.6.0', after: '4.6.0', outcome: 'rolled back' });
    expect(versions.versions.find((v) => v.node.host === 'gw-2')).toMatchObject({ before: '4.6.0', after: '4.6.0', outcome: 'unchanged' });
    expect(versions.versions.find((v) => v.node.host === 'cp-1')).toMatchObject({ before: '4.6.0', after: '4.6.0', outcome: 'switched' });
  }, 400_000);

  it('Ctrl-C in a gateway batch leaves that node healthy, releases the lock; a re-run completes the upgrade', async () => {
    const load = startLoad(echoUrl());
    const { code, out, sent } = await interruptCli(upgradeArgs(), /"type":"wave-start"[^\n]*"label":"gateway batch 1\/3: switch"/);
    expect(sent, out.slice(-3000)).toBe(true);
    expect(code, out.slice(-3000)).toBe(130);
    const status = await runCli(['lock', 'status', '-i', inventory]);
    expect(status.stdout).toMatch(/not locked/);
    const mid = await currentVersions();
    expect(['4.6.0', '4.6.0.12']).toContain(mid['gw-1/gateway']);
    expect(mid['gw-3/gateway']).toBe('4.6.0');
    expect(await unhealthyEndpoints(await healthEndpoints(inventory))).toEqual([]);

    const again = await runCli(upgradeArgs(), { timeoutMs: 400_000 });
    const report = await load.stop();
    expect(again.code, again.stderr).toBe(0);
    expect(report.failed, report.failures.join('\n')).toBe(0);
    expect(Object.values(await currentVersions())).toEqual(WSO2.map(() => '4.6.0.12'));
  }, 400_000);

  const GATEWAYS = ['gw-1', 'gw-2', 'gw-3'];
  const gatewayVars = (vars: Record<string, unknown>): DeploymentSpec =>
    ({ ...spec('4.6.0.12'), hosts: Object.fromEntries(HOSTS.map((h) => [h, GATEWAYS.includes(h) ? vars : {}])) });
  const restarts = (stdout: string) =>
    (JSON.parse(stdout.split('\n').find((l) => l.startsWith('{"restarts"'))!) as { restarts: { node: { host: string }; outcome: string }[] }).restarts;

  it('provision --rolling: a config change restarts the gateways one at a time, each drained first; zero failed requests', async () => {
    const others = await wso2Pids(lab, WSO2.filter((n) => !n.startsWith('gw-')));
    const gwBefore = await wso2Pids(lab, GATEWAYS.map((g) => `${g}/gateway`));
    inventory = lab.deploy(gatewayVars({ jvm_heap: '320m' })).inventory;
    const load = startLoad(echoUrl());
    const run = await runCli(['provision', '-i', inventory, '--rolling', '--json', '--health-timeout', '120'], { timeoutMs: 400_000 });
    const report = await load.stop();
    expect(run.code, run.stderr + run.stdout.slice(-4000)).toBe(0);
    expect(report.failed, report.failures.join('\n')).toBe(0);
    expect(report.served).toBeGreaterThan(50);

    const w = windows(run.events);
    expect(w.map((x) => x.host)).toEqual(GATEWAYS);
    for (let i = 1; i < w.length; i++) expect(w[i]!.start).toBeGreaterThanOrEqual(w[i - 1]!.end);
    for (const gw of GATEWAYS) {
      const drained = run.events.findIndex((e) => e.type === 'step-end' && e.kind === 'drain' && e.stepId.includes(`/${gw}-gateway`));
      const stopped = run.events.findIndex((e) => e.type === 'step-start' && e.kind === 'stop-component' && e.host === gw);
      expect(drained, gw).toBeGreaterThanOrEqual(0);
      expect(drained, `${gw} drained before it stopped`).toBeLessThan(stopped);
      expect(await lab.sh(gw, 'cat /opt/wso2/gateway/wso2.env')).toContain('320m');
    }
    const gwAfter = await wso2Pids(lab, GATEWAYS.map((g) => `${g}/gateway`));
    for (const g of GATEWAYS) expect(gwAfter[`${g}/gateway`]).not.toBe(gwBefore[`${g}/gateway`]);
    expect(await wso2Pids(lab, Object.keys(others))).toEqual(others);
    expect(restarts(run.stdout).map((r) => `${r.node.host} ${r.outcome}`)).toEqual(GATEWAYS.map((g) => `${g} restarted`));
    expect(await unhealthyEndpoints(await healthEndpoints(inventory))).toEqual([]);
    expect((await lab.exec('cp-1', ['cat', '/var/log/apim-deploy/audit.log'])).stdout).toMatch(/"command":"provision --rolling"[^\n]*"outcome":"ok"/);
  }, 400_000);

  it('provision --rolling: a config the gateway refuses is reverted on the first gateway, which serves again; the others are untouched', async () => {
    const toml = '/opt/wso2/gateway/current/repository/conf/deployment.toml';
    const sums = async () => Object.fromEntries(await Promise.all(GATEWAYS.map(async (g) => [g, await lab.sh(g, `sha256sum ${toml}`)] as const)));
    const tomlBefore = await sums();
    const untouched = await wso2Pids(lab, ['gw-2/gateway', 'gw-3/gateway']);
    inventory = lab.deploy(gatewayVars({ jvm_heap: '320m', keystore_password: 'not-the-password' })).inventory;
    const load = startLoad(echoUrl());
    const run = await runCli(['provision', '-i', inventory, '--rolling', '--json', '--health-timeout', '45'], { timeoutMs: 400_000 });
    const report = await load.stop();
    expect(run.code, run.stderr + run.stdout.slice(-4000)).toBe(5);
    expect(report.failed, report.failures.join('\n')).toBe(0);
    expect(await sums()).toEqual(tomlBefore);
    expect(await wso2Pids(lab, ['gw-2/gateway', 'gw-3/gateway'])).toEqual(untouched);
    expect((await httpGet(`http://${lab.address('gw-1')}:8280/echo`)).status).toBe(200);
    expect(await lab.sh('gw-1', 'cat /opt/wso2/gateway/current/repository/logs/wso2carbon.log')).toMatch(/Keystore was tampered with, or password was incorrect/);
    expect(run.events.some((e) => e.type === 'step-end' && e.host === 'gw-1' && e.status === 'rolled-back')).toBe(true);
    expect(restarts(run.stdout).map((r) => `${r.node.host} ${r.outcome}`)).toEqual(['gw-1 rolled back', 'gw-2 unchanged', 'gw-3 unchanged']);
    expect(await unhealthyEndpoints(await healthEndpoints(lab.deploy(gatewayVars({ jvm_heap: '320m' })).inventory))).toEqual([]);
  }, 400_000);
});
