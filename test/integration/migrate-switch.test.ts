/**
 * `migrate --to 4.6.0 --until switch` and `--rollback` on lab hosts under real client load (docs/migrate.md phases 6
 * and 7): pattern 2 (all-in-one, gateway, HAProxy, PostgreSQL) at 4.5.0 with green partners, an API record created
 * on blue, green provisioned and verified with the read-only window on blue (HAProxy's map, set through its runtime
 * API: it holds through reloads); then, while support/traffic.ts runs GET and POST over keep-alive and fresh
 * connections on 8280 and 8243, slow requests and sticky portal users on 443:
 * - the switch (HAProxy's runtime API, no reload): 0 failed requests, /echo answered by 4.6.0, blue's record listed
 *   by green, the read-only window lifted, status reads GREEN from the balancer, a re-run changes nothing, a plain
 *   provision keeps clients on green;
 * - the rollback: 0 failed requests, /echo answered by 4.5.0, status BLUE;
 * - Ctrl-C at the switch leaves every client upstream on one side with blue running; a re-run completes the switch;
 * - finish: Ctrl-C after the first blue node stopped leaves clients on green and nothing recorded; the re-run under
 *   load stops and removes blue, the old inventory is refused, the migrated one provisions green.
 * HAProxy, not nginx: an nginx reload closes idle keep-alive client connections, and a client that sends on one at
 * that moment gets a reset (docs/migrate.md, "The switch"). Pattern 2 rather than 3: lab time (see issue 17's notes).
 */
import { readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  failureSummary, httpGet, interruptCli, provisionCli, runCli, wso2Pids, type CliResult,
} from './support/index.js';
import { MIGRATION_BLUE, MIGRATION_BLUE_NODES, MIGRATION_GREEN, migrationLab } from './support/migration-lab.js';
import { listedIds, publisherCall } from './support/publisher.js';
import { expectNoFailures as expectNoFailuresThrough, haproxyClientServers, runUnderLoad, sideOf, windowRefuses } from './support/switch-traffic.js';
import { formatTraffic, startTraffic, type TrafficReport } from './support/traffic.js';
import { defaultRoleCatalog } from '../../src/catalog/roles.js';
import { waitFor } from '../support/wait.js';

const BLUE: readonly string[] = MIGRATION_BLUE;
const GREEN: readonly string[] = MIGRATION_GREEN;
const { lab, deployWithGreen } = migrationLab({ workspace: 'apim-i17s', name: 't-i17s1', subnet: '10.213.201.0/24', deployment: 'switch', loadBalancer: 'haproxy' });
const BLUE_NODES = MIGRATION_BLUE_NODES;
let inventory: string;
let probeId: string;

const migrateArgs = (...extra: string[]) => ['migrate', '-i', inventory, '--to', '4.6.0', ...extra];
const UNTIL_SWITCH = ['--read-only-window', '--until', 'switch'];
const MAP = '/etc/haproxy/apim-deploy-window.map';
const echoVersion = async () => (JSON.parse((await httpGet(`http://${lab.address('lb-1')}:8280/echo`)).body) as { version: string }).version;
const output = (r: CliResult) => `${r.stdout.slice(-4000)}\n${r.stderr}`;

const clientServers = () => haproxyClientServers(lab, 'lb-1');
const side = (servers: readonly string[]): string => sideOf(lab, servers, BLUE, GREEN);

/** Runs the CLI while every client kind sends through lb-1; returns its result and the traffic report. */
async function underLoad(args: readonly string[]): Promise<{ run: CliResult; report: TrafficReport; ms: number }> {
  const { run, reports, ms } = await runUnderLoad(lab, [{ host: 'lb-1', portals: true }], args);
  return { run, report: reports[0]!, ms };
}

const expectNoFailures = (report: TrafficReport): void => expectNoFailuresThrough([report], 50);

beforeAll(async () => {
  inventory = deployWithGreen();
  const run = await provisionCli(inventory);
  if (run.code !== 0) throw new Error(`provision at 4.5.0 failed: ${failureSummary(run)}`);
  const created = await publisherCall(lab.address('aio-1'), 'POST', { name: 'SwitchProbe', context: '/switchprobe', version: '1.0.0' });
  if (created.status !== 201) throw new Error(`the API record was not created on blue: ${created.status} ${created.body}`);
  probeId = (JSON.parse(created.body) as { id: string }).id;
  const green = await runCli(migrateArgs('--read-only-window', '--until', 'verify-green'), { timeoutMs: 900_000 });
  if (green.code !== 0) throw new Error(`migrate --until verify-green failed: ${output(green)}`);
}, 1_500_000);

describe('migrate switch and rollback on lab hosts, under load', () => {
  it('the read-only window is HAProxy\'s map, set with no reload: design-time writes refused, however the path is spelled; reads and API traffic pass', async () => {
    expect(await windowRefuses(lab, 'lb-1'), 'set before the backup').toBe(true);
    expect((await lab.sh('lb-1', `grep -v '^#' ${MAP}`)).trim()).toBe('read-only 1');
    expect((await lab.sh('lb-1', `echo "show map ${MAP}" | socat -t 5 stdio unix-connect:/run/haproxy/admin.sock`)).trim()).toMatch(/ read-only 1$/);
    // Tomcat strips path parameters and resolves dot segments before it picks a webapp: those spellings are refused too.
    for (const [method, path] of [['PUT', '/api/am/admin/v4/tenant-info'], ['DELETE', '/api/am/devportal/v3/applications/x'], ['POST', '/api/am/service-catalog/v1/services'],
      ['POST', '/api;x=1/am/publisher/v4/apis'], ['POST', '/api/am/%70ublisher/v4/apis'], ['POST', '/api/./am/publisher/v4/apis'], ['POST', '//api/am/publisher/v4/apis']] as const) {
      expect(await windowRefuses(lab, 'lb-1', method, path), `${method} ${path}`).toBe(true);
    }
    for (const [method, path] of [['GET', '/api/am/publisher/v4/apis'], ['POST', '/oauth2/token']] as const) {
      expect(await windowRefuses(lab, 'lb-1', method, path), `${method} ${path}`).toBe(false);
    }
    expect((await httpGet(`http://${lab.address('lb-1')}:8280/echo`)).status).toBe(200);
  }, 120_000);

  it('HAProxy reloads (provision-green\'s, any config change) fail no request: idle keep-alive connections are kept (option idle-close-on-response)', async () => {
    // The role's own reload command, as a provision runs it.
    const haproxy = defaultRoleCatalog()['load-balancer'].runtime;
    const reload = haproxy.kind === 'service' ? haproxy.variants.find((v) => v.when?.balancer === 'haproxy')?.reload : undefined;
    expect(reload).toBeDefined();
    const traffic = startTraffic(lab.address('lb-1'), { portalUsers: 4 });
    await waitFor('traffic flowing through lb-1', () => traffic.progress().sent > 100, { timeoutMs: 120_000 });
    const before = (await lab.sh('lb-1', 'cat /run/haproxy.pid')).trim();
    for (let i = 0; i < 5; i++) {
      const r = await lab.exec('lb-1', [...reload!]);
      expect(r.code, r.stderr).toBe(0);
      await new Promise((done) => setTimeout(done, 1500));
    }
    const report = await traffic.stop();
    console.log(`five HAProxy reloads under load:\n${formatTraffic(report).join('\n')}`);
    expect((await lab.sh('lb-1', 'cat /run/haproxy.pid')).trim(), 'reloaded: a new process').not.toBe(before);
    expectNoFailures(report);
    expect(await windowRefuses(lab, 'lb-1'), 'the new process read the window from its map file').toBe(true);
  }, 600_000);

  it('switch: 0 failed requests, green answers and takes traffic, no reload; a re-run and a provision keep it', async () => {
    expect(await echoVersion()).toBe('4.5.0');
    expect(side(await clientServers())).toBe('blue');
    const pids = await wso2Pids(lab, BLUE_NODES);
    const { run, report } = await underLoad(migrateArgs(...UNTIL_SWITCH));
    expect(run.code, output(run)).toBe(0);
    expectNoFailures(report);
    const slow = Object.entries(report.kinds).filter(([k]) => k.startsWith('GET slow')).flatMap(([, k]) => Object.keys(k.byNode));
    expect(slow.some((n) => n.endsWith('@4.5.0')) && slow.some((n) => n.endsWith('@4.6.0')), `slow requests answered by ${slow.join(', ')}`).toBe(true);
    const switched = /switch to green: done in (\d+) ms/.exec(run.stdout);
    console.log(`switch phase: ${switched?.[1] ?? '?'} ms`);
    expect(switched).not.toBeNull();
    expect(run.events.some((e) => e.type === 'step-start' && e.kind === 'reload-component'), 'the balancer was reloaded').toBe(false);
    // The window lifted through the runtime API once blue took no new request, its map emptied (HAProxy needs the file).
    const order = run.events.flatMap((x) => (x.type === 'step-end' && x.host === 'lb-1' ? [x.kind === 'balancer-set' ? x.stepId.split('/').at(-1)!.split('-')[0]! : x.kind] : []));
    expect(order.indexOf('balancer-window'), order.join(' ')).toBeGreaterThan(order.lastIndexOf('maint'));
    expect(order.indexOf('balancer-window'), order.join(' ')).toBeLessThan(order.indexOf('drain'));
    expect(await windowRefuses(lab, 'lb-1'), 'green takes design-time writes after the switch').toBe(false);
    expect(await lab.sh('lb-1', `wc -c < ${MAP}`)).toMatch(/^0\s*$/);
    // Green was put in only after HAProxy's own check saw it up.
    const putIn = run.events.flatMap((x) => (x.type === 'step-start' && x.kind === 'balancer-set' && x.stepId.includes('/ready-') ? [x.stepId] : []));
    expect(putIn.length, 'green servers set ready').toBeGreaterThan(0);
    for (const id of putIn) {
      const node = id.split('/ready-')[1]!;
      expect(run.events.some((x) => x.type === 'step-end' && x.kind === 'wait-routable' && x.stepId.endsWith(`/${node}`) && x.status === 'ok'), node).toBe(true);
    }

    expect(await echoVersion()).toBe('4.6.0');
    expect(side(await clientServers())).toBe('green');
    expect(await wso2Pids(lab, BLUE_NODES), 'blue keeps running for the rollback').toEqual(pids);
    const onGreen = await publisherCall(lab.address('aio-1-green'), 'GET');
    expect(onGreen.status).toBe(200);
    expect(listedIds(onGreen)).toContain(probeId);

    const status = await runCli(['status', '-i', inventory], { timeoutMs: 180_000 });
    expect(status.stdout).toMatch(/traffic: lb-1 sends clients to GREEN \(0 blue, \d+ green server\(s\) in service\)/);
    expect(status.stdout).toMatch(/phases done: [^\n]*switch/);

    const again = await runCli(migrateArgs(...UNTIL_SWITCH, '--json'), { timeoutMs: 900_000 });
    expect(again.code, output(again)).toBe(0);
    const changed = again.events.filter((e) => e.type === 'step-end' && e.status === 'changed');
    console.log(`re-run after the switch: ${changed.length} changed step(s): ${changed.map((e) => ('stepId' in e ? e.stepId : '?')).join(', ')}`);
    expect(changed, 'a re-run after the switch changes nothing').toEqual([]);

    const provision = await provisionCli(inventory);
    expect(provision.code, failureSummary(provision)).toBe(0);
    expect(side(await clientServers()), 'a plain provision keeps clients on green').toBe('green');
    expect(await echoVersion()).toBe('4.6.0');

    const abort = await runCli(migrateArgs('--abort'));
    expect(abort.code).toBe(2);
    expect(abort.stderr + abort.stdout).toMatch(/--rollback/);
  }, 1_800_000);

  it('a controller without the switch\'s record (another controller, a fresh CI workspace) is refused provision; migrate --until switch there takes it from the database host', async () => {
    const root = join(dirname(inventory), '.apim-deploy', 'migrations');
    const id = readdirSync(root).find((d) => d.startsWith('4.5.0-to-4.6.0-'))!;
    const kept = join(dirname(inventory), `kept-${id}`);
    renameSync(join(root, id), kept);
    try {
      const refused = await provisionCli(inventory);
      expect(refused.code, output(refused)).toBe(2);
      expect(refused.stderr).toMatch(new RegExp(`provision refused: db-1 records that migration ${id} switched clients to green`));
      expect(refused.stderr).toContain('Nothing was changed on any host.');
      expect(side(await clientServers()), 'clients stay on green').toBe('green');

      const adopt = await runCli(migrateArgs('--accept-write-loss', '--until', 'switch'), { timeoutMs: 900_000 });
      expect(adopt.code, output(adopt)).toBe(0);
      expect(adopt.stdout).toContain(`continuing migration ${id}`);
      expect(adopt.stdout).toContain(`db-1 records the switch of ${id} (switch.done): recorded here, clients on green`);
      expect(side(await clientServers()), 'never moved off green').toBe('green');
      expect(JSON.parse(readFileSync(join(root, id, 'migration.json'), 'utf8'))).toMatchObject({ id, clients: 'green' });
      const provision = await provisionCli(inventory);
      expect(provision.code, failureSummary(provision)).toBe(0);
      expect(side(await clientServers())).toBe('green');
      expect(await echoVersion()).toBe('4.6.0');
    } finally {
      rmSync(join(root, id), { recursive: true, force: true });
      renameSync(kept, join(root, id));
    }
  }, 1_200_000);

  it('rollback: 0 failed requests, blue answers again, status BLUE; refused once clients are on blue', async () => {
    const { run, report } = await underLoad(migrateArgs('--rollback'));
    expect(run.code, output(run)).toBe(0);
    expectNoFailures(report);
    expect(await echoVersion()).toBe('4.5.0');
    expect(side(await clientServers())).toBe('blue');
    const status = await runCli(['status', '-i', inventory], { timeoutMs: 180_000 });
    expect(status.stdout).toMatch(/traffic: lb-1 sends clients to BLUE \(\d+ blue, 0 green server\(s\) in service\)/);

    const again = await runCli(migrateArgs('--rollback'));
    expect(again.code, output(again)).toBe(2);
    expect(again.stderr + again.stdout).toMatch(/has not switched clients to green: there is nothing to roll back/);
  }, 1_200_000);

  it('Ctrl-C at the switch leaves each client upstream on one side and blue running; a re-run completes the switch', async () => {
    const pids = await wso2Pids(lab, BLUE_NODES);
    const { code, out, sent } = await interruptCli(migrateArgs(...UNTIL_SWITCH, '--json'), /"type":"step-start"[^\n]*"kind":"wait-routable"/);
    expect(sent, out.slice(-3000)).toBe(true);
    expect(code, out.slice(-3000)).toBe(130);
    expect(side(await clientServers()), 'interrupted before green was put in').toBe('blue');
    expect((await httpGet(`http://${lab.address('lb-1')}:8280/echo`)).status).toBe(200);
    expect(await wso2Pids(lab, BLUE_NODES)).toEqual(pids);
    expect((await runCli(['lock', 'status', '-i', inventory])).stdout).toMatch(/not locked/);

    const run = await runCli(migrateArgs(...UNTIL_SWITCH), { timeoutMs: 900_000 });
    expect(run.code, output(run)).toBe(0);
    expect(side(await clientServers())).toBe('green');
    expect(await echoVersion()).toBe('4.6.0');
  }, 1_200_000);
  it('finish under load: 0 failed requests, blue stopped and removed, the old inventory refused; the migrated inventory moved over it provisions green', async () => {
    const pids = await wso2Pids(lab, BLUE_NODES);
    const alive = async (node: string) => {
      const pid = pids[node];
      if (!pid) return false;
      const stat = (await lab.sh(node.split('/')[0]!, `ps -o stat= -p ${pid} || true`)).trim();
      return stat !== '' && !stat.startsWith('Z');
    };
    // install_dir may be shared with other software: finish removes what apim-deploy made there, nothing else.
    for (const host of BLUE) await lab.sh(host, 'mkdir -p /opt/wso2/other-product && echo kept > /opt/wso2/other-product/run.sh && echo kept > /opt/wso2/not-ours.txt');
    // Ctrl-C once the first blue node has stopped: clients stay on green, nothing is recorded finished, the lock is
    // free; the run under load below is the re-run, which completes it.
    const cut = await interruptCli(migrateArgs('--finish', '--json'), /"type":"step-end"[^\n]*"kind":"stop-component"/);
    expect(cut.sent, cut.out.slice(-3000)).toBe(true);
    expect(cut.code, cut.out.slice(-3000)).toBe(130);
    expect(await echoVersion()).toBe('4.6.0');
    expect((await runCli(['lock', 'status', '-i', inventory])).stdout).toMatch(/not locked/);
    const { existsSync } = await import('node:fs');
    expect(existsSync(inventory.replace(/\.ya?ml$/, '.migrated.yaml')), 'no migrated inventory before finish completes').toBe(false);
    expect((await runCli(['status', '-i', inventory], { timeoutMs: 180_000 })).stdout).toMatch(/traffic: lb-1 sends clients to GREEN/);
    const { run, report } = await underLoad(migrateArgs('--finish'));
    expect(run.code, output(run)).toBe(0);
    expectNoFailures(report);
    expect(await echoVersion()).toBe('4.6.0');
    for (const node of BLUE_NODES) expect(await alive(node), `${node} stopped`).toBe(false);
    for (const host of BLUE) {
      expect((await lab.sh(host, 'ls -A /opt/wso2')).split('\n').filter(Boolean).sort(), `${host}: apim-deploy's installation removed, the rest kept`).toEqual(['not-ours.txt', 'other-product']);
      expect((await lab.sh(host, 'cat /opt/wso2/other-product/run.sh /opt/wso2/not-ours.txt')).trim()).toBe('kept\nkept');
    }

    const old = await provisionCli(inventory);
    expect(old.code, output(old)).toBe(2);
    expect(old.stderr).toMatch(/use the migrated inventory/);

    const migrated = inventory.replace(/\.ya?ml$/, '.migrated.yaml');
    const { readFileSync, renameSync } = await import('node:fs');
    expect(readFileSync(migrated, 'utf8')).toMatch(/version: ['"]?4\.6\.0/);
    renameSync(migrated, inventory);
    const after = await provisionCli(inventory);
    expect(after.code, failureSummary(after)).toBe(0);
    const changed = after.events.filter((e) => e.type === 'step-end' && e.status === 'changed').map((e) => ('stepId' in e ? e.stepId : '?'));
    console.log(`provision of the migrated inventory: ${changed.length} changed step(s): ${changed.join(', ')}`);
    expect(await echoVersion()).toBe('4.6.0');
    const onGreen = await publisherCall(lab.address('aio-1-green'), 'GET');
    expect(listedIds(onGreen)).toContain(probeId);
    const again = await provisionCli(inventory);
    expect(again.code, failureSummary(again)).toBe(0);
    expect(again.events.filter((e) => e.type === 'step-end' && e.status === 'changed'), 'a second provision changes nothing').toEqual([]);
  }, 1_800_000);
});
