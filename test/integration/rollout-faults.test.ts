/**
 * Rollouts that survive faults, on pattern 3 behind HAProxy (2 control planes, 1 traffic manager, 3 gateways) with
 * keep-alive and POST traffic the whole time, each fault through the real CLI:
 * (c) a gateway's disk fills while the upgrade stages: a clear error, nothing stopped, the running release untouched,
 *     and the gateway answers on with its disk full;
 * (d) the database stops during the first control plane's window: it fails its gate, is rolled back, the rollout stops;
 * (a) a gateway's link goes down during its window: the run stops that window, reports every node, leaves the
 *     others serving, releases the lock; once the link is back a re-run finishes the upgrade;
 * (b) the controller is SIGKILLed mid-window: status shows the node drained and half-switched with its repair, the next
 *     run takes the stale lock over, finishes the node from the hosts' facts and completes; a lock whose lease ran out on
 *     another controller is taken over too, one within its lease is not.
 * No request fails and every POST reaches one node exactly once, in every case.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDistributions } from '../../src/lab/dist/build.js';
import {
  baseVars, makeWorkspace, postgres, provisionCli, runCli, startLab, wso2Pids, writeDeployment, type DeploymentSpec, type TestLab, type Workspace,
} from './support/index.js';
import { startCli, type TimedEvent } from './support/timed-cli.js';
import { answeredRequests, currentVersions, haproxyHeldOut, postDeliveries } from './support/rollout-state.js';
import { exactlyOnce, startTraffic, trafficFailures, type Traffic } from './support/traffic.js';

const HOSTS = ['cp-1', 'cp-2', 'tm-1', 'gw-1', 'gw-2', 'gw-3', 'lb-1', 'db-1'];
const GATEWAYS = ['gw-1', 'gw-2', 'gw-3'];
const WSO2 = ['cp-1/control-plane', 'cp-2/control-plane', 'tm-1/traffic-manager', 'gw-1/gateway', 'gw-2/gateway', 'gw-3/gateway'];
let lab: TestLab | undefined;
let ws: Workspace | undefined;

const spec = (version: string): DeploymentSpec => ({
  name: 'faults', pattern: 3, version,
  hosts: Object.fromEntries(HOSTS.map((h) => [h, {}])),
  roles: { 'control-plane': ['cp-1', 'cp-2'], 'traffic-manager': ['tm-1'], gateway: GATEWAYS, 'load-balancer': ['lb-1'], database: ['db-1'] },
  vars: { ...baseVars(postgres('db-1')), load_balancer: 'haproxy' },
});
const inventory = (version: string) => writeDeployment(spec(version), lab!, ws!).inventory;
const rollout = (command: 'upgrade' | 'rollback', version: string, timeoutS = 60) => [command, '-i', inventory(version), '--json', '--health-timeout', String(timeoutS)];

const versions = () => currentVersions(lab!, WSO2);
const all = (v: string) => Object.fromEntries(WSO2.map((n) => [n, v]));

const heldOut = () => haproxyHeldOut(lab!, 'lb-1');
/** Requests the sample backend answered on `host` (its request log is off the gateway's disk: sim/component/sample-api.ts). */
const answeredBy = (host: string) => answeredRequests(lab!, host);
const delivered = () => postDeliveries(lab!, GATEWAYS);

/** Keep-alive and POST traffic (no portal users, no slow requests: those are rollout-zero-fail's) around `work`. */
async function underLoad<T>(work: (t: Traffic) => Promise<T>): Promise<T> {
  const before = await delivered();
  const traffic = startTraffic(lab!.address('lb-1'), { portalUsers: 0, slowMs: 0 });
  const result = await work(traffic);
  const report = await traffic.stop();
  expect(report.failed, trafficFailures(report)).toBe(0);
  expect(report.sent).toBeGreaterThan(50);
  expect(exactlyOnce(report, new Map([...(await delivered())].filter(([id]) => !before.has(id))))).toEqual([]);
  return result;
}

const versionsLine = (stdout: string) => (JSON.parse(stdout.split('\n').find((l) => l.startsWith('{"versions"'))!) as
  { versions: { node: { host: string; role: string }; before: string | null; after: string | null; outcome: string }[] }).versions;
const onStep = (kind: string, host: string, type: 'step-start' | 'step-end') => (e: TimedEvent) =>
  e.type === type && 'kind' in e && e.kind === kind && e.host === host;
const vethOf = (host: string) => lab!.state.hosts.find((h) => h.name === host)!.veth;

beforeAll(async () => {
  // The roll is an update-level one (4.6.0 → 4.6.0.12): a change of version goes through `migrate`.
  ws = await makeWorkspace('apim-faults', { version: '4.6.0' });
  await buildDistributions({ version: '4.6.0', updateLevel: 12, outDir: ws.distDir });
  lab = await startLab({ name: 't-fault', names: HOSTS, subnet: '10.213.237.0/24' });
  // gw-3 gets a small /opt of its own (tmpfs, inside its mount namespace: gone with the host) that a test can fill.
  await lab.sh('gw-3', 'mount -t tmpfs -o size=300m tmpfs /opt');
  const run = await provisionCli(inventory('4.6.0'));
  if (run.code !== 0) throw new Error(`provision at 4.6.0 failed (${run.code}): ${run.stderr}\n${run.stdout.slice(-3000)}`);
}, 300_000);

afterAll(async () => {
  if (lab) execFileSync('ip', ['link', 'set', vethOf('gw-2'), 'up']);
  await lab?.down();
  ws?.cleanup();
}, 120_000);

describe('rollout faults on lab hosts', () => {
  it('(c) a disk that fills while staging: a clear error before any node stops; the running release untouched', async () => {
    const pids = await wso2Pids(lab!, WSO2);
    let filling: Promise<string> | undefined;
    let answeredFull = 0;
    const run = await underLoad(async () => {
      const done = await startCli(rollout('upgrade', '4.6.0.12'), (e) => {
        if (e.type === 'wave-start' && e.index === 0) {
          // Staging writes to the same disk meanwhile: whichever write meets the full disk (an upload, its sha256
          // stamp, an unpack) must say so. fallocate fails when staging took space between df and it; the disk is
          // full all the same. Caught at once: a rejection left for the `finally` below was reported as unhandled.
          filling = lab!.sh('gw-3', 'avail=$(df -B1 --output=avail /opt | tail -1); fallocate -l $((avail - 32768)) /opt/apim-test-fill').catch((err: unknown) => String(err));
        }
      }).done;
      // Then the disk full to its last block, under the same load: gw-3 goes on answering, as a real gateway does
      // (Carbon's log4j2 drops lines it cannot write). CI once saw the simulator crash here on its own log write.
      await filling;
      await lab!.sh('gw-3', 'dd if=/dev/zero of=/opt/apim-test-fill-rest bs=4096 2>/dev/null; true');
      expect((await lab!.sh('gw-3', 'df -B1 --output=avail /opt | tail -1')).trim()).toBe('0');
      const before = await answeredBy('gw-3');
      await expect.poll(async () => (answeredFull = (await answeredBy('gw-3')) - before), { timeout: 120_000, interval: 500 }).toBeGreaterThanOrEqual(20);
      return done;
    }).finally(async () => {
      // A full /opt must not outlive this test: later tests stage and start releases there.
      await filling?.catch(() => '');
      await lab!.sh('gw-3', 'rm -f /opt/apim-test-fill /opt/apim-test-fill-rest');
    });
    console.log(`(c) gw-3 answered ${answeredFull} requests with its /opt full`);
    expect(run.code, run.stdout.slice(-3000)).toBe(1);
    const failed = run.events.find((e) => e.type === 'step-end' && e.status === 'failed');
    expect(failed && 'error' in failed ? failed.error?.message : '', run.stdout.slice(-3000)).toMatch(/^gw-3: no space left on the disk of \/opt for \/opt\/wso2\/.+: \d+ KB free/);
    expect(run.events.some((e) => e.type === 'step-start' && e.kind === 'stop-component')).toBe(false);
    expect(await versions()).toEqual(all('4.6.0'));
    expect(await wso2Pids(lab!, WSO2)).toEqual(pids);
    expect(await heldOut()).toEqual([]);
  }, 600_000);

  it('(d) the database stops during a control plane window: that node fails its gate, is rolled back; the rollout stops', async () => {
    const untouched = await wso2Pids(lab!, ['cp-2/control-plane', 'gw-1/gateway', 'gw-2/gateway', 'gw-3/gateway']);
    // Stopped once, at cp-1's first stop (its roll back stops it again: a second `stop` raced the start and failed,
    // unhandled), and started when the roll back begins; every command awaited, and the database up whatever happens.
    let stopping: Promise<string> | undefined;
    let starting: Promise<string> | undefined;
    const run = await underLoad(async () => startCli(rollout('upgrade', '4.6.0.12', 20), (e) => {
      if (!stopping && onStep('stop-component', 'cp-1', 'step-start')(e)) stopping = lab!.sh('db-1', 'pg_ctlcluster 15 main stop -m fast');
      if (stopping && !starting && e.type === 'wave-start' && e.label.endsWith(': roll back')) {
        starting = stopping.then(() => lab!.sh('db-1', 'pg_ctlcluster 15 main start'));
      }
    }).done).finally(async () => {
      await Promise.allSettled([stopping, starting]);
      await lab!.sh('db-1', 'pg_ctlcluster 15 main status >/dev/null || pg_ctlcluster 15 main start');
    });
    expect(stopping, 'the database was stopped in cp-1\'s window').toBeDefined();
    await stopping;
    expect(starting, 'the roll back began').toBeDefined();
    await starting;
    expect(run.code, run.stdout.slice(-3000)).toBe(5);
    expect(versionsLine(run.stdout).find((v) => v.node.host === 'cp-1')).toMatchObject({ before: '4.6.0', after: '4.6.0', outcome: 'rolled back' });
    expect(await versions()).toEqual(all('4.6.0'));
    expect(await wso2Pids(lab!, ['cp-2/control-plane', 'gw-1/gateway', 'gw-2/gateway', 'gw-3/gateway'])).toEqual(untouched);
    expect(run.events.some((e) => e.type === 'wave-start' && e.label.startsWith('control-plane batch 2/2'))).toBe(false);
    expect(await heldOut()).toEqual([]);
  }, 600_000);

  it('(a) a gateway\'s link goes down in its window: its window stops, every node is reported, the others serve, the lock is released; a re-run completes', async () => {
    let cut = false;
    const run = await underLoad(async () => startCli(rollout('upgrade', '4.6.0.12'), (e) => {
      if (!cut && onStep('stop-component', 'gw-2', 'step-start')(e)) {
        cut = true;
        execFileSync('ip', ['link', 'set', vethOf('gw-2'), 'down']);
      }
    }).done);
    expect(cut).toBe(true);
    expect(run.code, run.stdout.slice(-3000)).toBe(4);
    const report = versionsLine(run.stdout);
    expect(report.map((v) => `${v.node.host}/${v.node.role}`).sort()).toEqual([...WSO2].sort());
    expect(report.find((v) => v.node.host === 'gw-2')).toMatchObject({ after: null, outcome: 'unreachable' });
    // The report names versions (x.y.z), 4.6.0 on both sides of this roll: the release each node runs tells them apart.
    expect(report.find((v) => v.node.host === 'gw-1')).toMatchObject({ after: '4.6.0', outcome: 'switched' });
    expect(report.find((v) => v.node.host === 'gw-3')).toMatchObject({ after: '4.6.0', outcome: 'unchanged' });
    expect(await currentVersions(lab!, ['gw-1/gateway', 'gw-3/gateway'])).toEqual({ 'gw-1/gateway': '4.6.0.12', 'gw-3/gateway': '4.6.0' });
    expect(run.stdout).toMatch(/gw-2 became unreachable during gateway batch 2\/3; the other nodes serve/);
    expect((await runCli(['lock', 'status', '-i', inventory('4.6.0.12')])).stdout).toMatch(/not locked/);
    expect((await heldOut()).map((s) => s.split(' ')[0])).toEqual(expect.arrayContaining([`apim_gateway_http/${lab!.address('gw-2')}:8280`]));

    execFileSync('ip', ['link', 'set', vethOf('gw-2'), 'up']);
    const again = await underLoad(async () => startCli(rollout('upgrade', '4.6.0.12')).done);
    expect(again.code, again.stderr + again.stdout.slice(-3000)).toBe(0);
    expect(again.stdout).toMatch(/gw-2\/gateway: left by an earlier run: held out of the balancer/);
    expect(await versions()).toEqual(all('4.6.0.12'));
    expect(await heldOut()).toEqual([]);
  }, 900_000);

  it('(b) SIGKILL of the controller mid-window: status shows the leftover with its repair; that repair takes the lock over and finishes it', async () => {
    let killed = false;
    await underLoad(async () => {
      const run = startCli(rollout('rollback', '4.6.0.12'), (e, r) => {
        if (!killed && onStep('stop-component', 'gw-2', 'step-end')(e)) {
          killed = true;
          r.child.kill('SIGKILL');
        }
      });
      const done = await run.done;
      expect(done.signal).toBe('SIGKILL');

      const lock = await runCli(['lock', 'status', '-i', inventory('4.6.0.12')]);
      expect(lock.stdout).toMatch(new RegExp(`locked on cp-1 by .+\\(pid ${run.child.pid}\\) running \`rollback\`.+; stale \\(pid ${run.child.pid} is not running on this controller`));
      const status = await runCli(['status', '-i', inventory('4.6.0.12')]);
      expect(status.code).toBe(1);
      expect(status.stdout).toMatch(/ {4}DRAINED: held out of the load balancer on lb-1: .*apim_gateway_http\/[\d.]+:8280 maint/);
      expect(status.stdout).toMatch(/ {4}HALF-SWITCHED: 4\.6\.0-[0-9a-f]{8} is `current` but not running/);
      const repair = `apim-deploy upgrade -i ${inventory('4.6.0.12')} --limit gw-2`;
      expect(status.stdout).toContain(`repair: ${repair}`);

      const startedAt = Date.now();
      const again = startCli([...repair.split(' ').slice(1), '--json', '--health-timeout', '60']);
      const finished = await again.done;
      expect(finished.code, finished.stderr + finished.stdout.slice(-3000)).toBe(0);
      const took = again.notices.find((n) => n.text.startsWith('took over the deploy lock'));
      expect(took?.text).toMatch(new RegExp(`pid ${run.child.pid} is not running on this controller`));
      const recovered = again.notices.find((n) => /^gw-2\/gateway: left by an earlier run: held out of the balancer .+ not running 4\.6\.0; finishing it$/.test(n.text));
      expect(recovered, again.notices.map((n) => n.text).join('\n')).toBeDefined();
      console.log(`(b) the repair took the lock over ${took!.receivedAt - startedAt} ms after it started; gw-2 back after ${recovered ? Date.now() - recovered.receivedAt : '?'} ms`);
    });
    expect(killed).toBe(true);
    expect(await heldOut()).toEqual([]);
    // gw-1 was rolled back before the kill: the deployment is mixed, and status says so; an upgrade to 4.6.0 finishes the way back.
    const mixed = await runCli(['status', '-i', inventory('4.6.0')]);
    expect(mixed.code).toBe(1);
    // Both packs are 4.6.0: status tells them apart by release (version and pack), as it would 4.5.0 from 4.6.0.
    expect(mixed.stdout).toMatch(/MIXED RELEASE: runs 4\.6\.0-[0-9a-f]{8}, 4\.6\.0 from another pack \(update level\) than the other gateway nodes/);
    const back = await underLoad(async () => startCli(rollout('upgrade', '4.6.0')).done);
    expect(back.code, back.stderr + back.stdout.slice(-3000)).toBe(0);
    expect(await versions()).toEqual(all('4.6.0'));
    expect((await runCli(['status', '-i', inventory('4.6.0')])).code).toBe(0);
  }, 900_000);

  it('(b) a lock whose lease ran out on another controller is taken over; one within its lease is refused', async () => {
    const lock = (ageS: number) => lab!.sh('cp-1', `printf '%s' '${JSON.stringify({ token: 'elsewhere', owner: 'ops@ctl-2', command: 'upgrade', pid: 1, startedAt: '2026-01-01T00:00:00Z', inventory: 'x', controller: 'ctl-2', leaseMs: 60_000 })}' > /var/lib/apim-deploy/deploy.lock && touch -d '-${ageS} seconds' /var/lib/apim-deploy/deploy.lock`);
    await lock(10);
    const refused = await runCli(rollout('upgrade', '4.6.0'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/locked by ops@ctl-2 \(pid 1\) running `upgrade`/);
    await lock(90);
    const taken = await runCli(rollout('upgrade', '4.6.0'));
    expect(taken.code, taken.stderr).toBe(0);
    expect(taken.stdout).toMatch(/took over the deploy lock from ops@ctl-2 \(pid 1\) running `upgrade` since 2026-01-01T00:00:00Z: its lease ran out: last renewed 9\d s ago \(lease 60 s\)/);
    expect((await runCli(['lock', 'status', '-i', inventory('4.6.0')])).stdout).toMatch(/not locked/);
  }, 300_000);
});
