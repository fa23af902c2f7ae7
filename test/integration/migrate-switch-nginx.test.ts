/**
 * `migrate --to 4.6.0` switch and `--rollback` on an nginx balancer under real client load (docs/migrate.md "The
 * switch"): pattern 2 (all-in-one, gateway, nginx, PostgreSQL) at 4.5.0 with green partners, an API record created on
 * blue, the read-only window kept on blue from the backup, green provisioned. Ctrl-C in verify-green (it reads only):
 * exit 130, the phase not recorded, the switch not started; a re-run verifies green. Then, while
 * support/traffic.ts runs GET and POST over keep-alive and fresh connections on 8280 and 8243, slow requests and sticky
 * portal users on 443:
 * - the switch writes nginx's switch flag, no reload (the master's workers are the same processes before and after):
 *   0 failed requests, /echo answered by 4.6.0, the read-only window lifted without a reload, status GREEN, a re-run
 *   changes nothing, a plain provision keeps the flag;
 * - the rollback removes it: 0 failed requests, /echo answered by 4.5.0, status BLUE, writes still not refused; a flag
 *   put back by hand is removed by a plain provision (role.yaml `absent`).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { failureSummary, httpGet, interruptCli, provisionCli, runCli, type CliResult } from './support/index.js';
import { migrationLab } from './support/migration-lab.js';
import { publisherCall } from './support/publisher.js';
import { expectNoFailures, runUnderLoad, windowRefuses } from './support/switch-traffic.js';
import type { TrafficReport } from './support/traffic.js';

const { lab, deployWithGreen } = migrationLab({ workspace: 'apim-i17n', name: 't-i17n1', subnet: '10.213.223.0/24', deployment: 'switch-nginx' });
const FLAG = '/etc/nginx/apim-deploy-clients-on-green';
let inventory: string;

const migrateArgs = (...extra: string[]) => ['migrate', '-i', inventory, '--to', '4.6.0', ...extra];
const UNTIL_SWITCH = ['--read-only-window', '--until', 'switch'];
const lbUrl = (port: number, path: string) => `${port === 8280 ? 'http' : 'https'}://${lab.address('lb-1')}:${port}${path}`;
const echoVersion = async () => (JSON.parse((await httpGet(lbUrl(8280, '/echo'))).body) as { version: string }).version;
const output = (r: CliResult) => `${r.stdout.slice(-4000)}\n${r.stderr}`;
const flagHeld = async () => (await lab.sh('lb-1', `test -e ${FLAG} && echo yes || echo no`)).trim() === 'yes';
/** nginx's master and its worker processes: a reload replaces the workers. */
const nginxProcesses = async () => (await lab.sh('lb-1', 'm=$(cat /run/nginx.pid); echo "$m $(pgrep -P "$m" | sort -n | tr "\\n" " ")"')).trim();
const refusedByWindow = () => windowRefuses(lab, 'lb-1');

async function underLoad(args: readonly string[]): Promise<{ run: CliResult; report: TrafficReport }> {
  const { run, reports } = await runUnderLoad(lab, [{ host: 'lb-1', portals: true }], args);
  return { run, report: reports[0]! };
}

beforeAll(async () => {
  inventory = deployWithGreen();
  const run = await provisionCli(inventory);
  if (run.code !== 0) throw new Error(`provision at 4.5.0 failed: ${failureSummary(run)}`);
  const created = await publisherCall(lab.address('aio-1'), 'POST', { name: 'NginxSwitchProbe', context: '/nginxswitchprobe', version: '1.0.0' });
  if (created.status !== 201) throw new Error(`the API record was not created on blue: ${created.status} ${created.body}`);
  const green = await runCli(migrateArgs('--read-only-window', '--until', 'provision-green'), { timeoutMs: 900_000 });
  if (green.code !== 0) throw new Error(`migrate --until provision-green failed: ${output(green)}`);
}, 1_500_000);

describe('migrate switch and rollback on an nginx balancer, under load', () => {
  it('Ctrl-C in verify-green: exit 130, verify-green not recorded, the switch not started, blue serving; a re-run verifies green', async () => {
    const { code, out, sent } = await interruptCli(migrateArgs('--read-only-window', '--until', 'switch'), /== verify-green/);
    expect(sent, out.slice(-3000)).toBe(true);
    expect(code, out.slice(-3000)).toBe(130);
    expect(out).not.toContain('== switch');
    const id = /(?:starting|continuing) migration (4\.5\.0-to-4\.6\.0-\d{8}T\d{6}Z)/.exec(out)?.[1];
    expect(id, out.slice(-3000)).toBeDefined();
    const record = JSON.parse(readFileSync(join(dirname(inventory), '.apim-deploy', 'migrations', id!, 'migration.json'), 'utf8')) as { phasesDone: string[] };
    expect(record.phasesDone).toContain('provision-green');
    expect(record.phasesDone).not.toContain('verify-green');
    expect(await flagHeld()).toBe(false);
    expect(await echoVersion()).toBe('4.5.0');
    expect(await refusedByWindow(), 'the read-only window stays on').toBe(true);
    expect((await runCli(['lock', 'status', '-i', inventory])).stdout).toMatch(/not locked/);

    const again = await runCli(migrateArgs('--read-only-window', '--until', 'verify-green'), { timeoutMs: 900_000 });
    expect(again.code, output(again)).toBe(0);
    expect(again.stdout).toMatch(/verify-green: the \d+ API record\(s\) blue lists are on green/);
  }, 1_200_000);

  it('switch: the flag written, no reload, 0 failed requests, the read-only window lifted; a re-run and a provision keep it', async () => {
    expect(await echoVersion()).toBe('4.5.0');
    expect(await flagHeld()).toBe(false);
    expect(await refusedByWindow(), 'the read-only window is on before the switch').toBe(true);
    const before = await nginxProcesses();

    const { run, report } = await underLoad(['migrate', '-i', inventory, '--to', '4.6.0', ...UNTIL_SWITCH]);
    expect(run.code, output(run)).toBe(0);
    expectNoFailures([report], 50);
    const slow = Object.entries(report.kinds).filter(([k]) => k.startsWith('GET slow')).flatMap(([, k]) => Object.keys(k.byNode));
    expect(slow.some((n) => n.endsWith('@4.5.0')) && slow.some((n) => n.endsWith('@4.6.0')), `slow requests answered by ${slow.join(', ')}`).toBe(true);
    expect(run.events.some((e) => e.type === 'step-start' && e.kind === 'reload-component'), 'the balancer was reloaded').toBe(false);
    expect(await nginxProcesses(), 'nginx kept its workers: no reload').toBe(before);
    const switched = /switch to green: done in (\d+) ms/.exec(run.stdout);
    console.log(`switch phase: ${switched?.[1] ?? '?'} ms`);
    expect(switched).not.toBeNull();

    expect(await flagHeld()).toBe(true);
    expect(await echoVersion()).toBe('4.6.0');
    // The rule stays loaded until a reload, but tests for its own file, which the switch removed.
    expect(await lab.sh('lb-1', 'ls -A /etc/nginx/apim-deploy-window/')).toBe('');
    expect(await refusedByWindow(), 'green takes design-time writes after the switch').toBe(false);
    const status = await runCli(['status', '-i', inventory], { timeoutMs: 180_000 });
    expect(status.stdout).toMatch(/traffic: lb-1 sends clients to GREEN \(0 blue, \d+ green server\(s\) in service\)/);

    const again = await runCli(migrateArgs(...UNTIL_SWITCH, '--json'), { timeoutMs: 900_000 });
    expect(again.code, output(again)).toBe(0);
    const changed = again.events.filter((e) => e.type === 'step-end' && e.status === 'changed');
    expect(changed.map((e) => ('stepId' in e ? e.stepId : '?')), 'a re-run after the switch changes nothing').toEqual([]);
    const provision = await provisionCli(inventory);
    expect(provision.code, failureSummary(provision)).toBe(0);
    expect(provision.events.filter((e) => e.type === 'step-end' && e.status === 'changed' && e.stepId.startsWith('lb-1/')).map((e) => ('stepId' in e ? e.stepId : '?')),
      'a plain provision leaves the balancer as the switch left it').toEqual([]);
    expect(await flagHeld()).toBe(true);
    expect(await echoVersion()).toBe('4.6.0');
    expect(await nginxProcesses()).toBe(before);
  }, 1_800_000);

  it('rollback: the flag removed, no reload, 0 failed requests, blue answers again, status BLUE, writes not refused', async () => {
    const before = await nginxProcesses();
    const { run, report } = await underLoad(migrateArgs('--rollback'));
    expect(run.code, output(run)).toBe(0);
    expectNoFailures([report], 50);
    expect(run.events.some((e) => e.type === 'step-start' && e.kind === 'reload-component'), 'the balancer was reloaded').toBe(false);
    expect(await nginxProcesses(), 'nginx kept its workers: no reload').toBe(before);
    expect(await flagHeld()).toBe(false);
    expect(await echoVersion()).toBe('4.5.0');
    const status = await runCli(['status', '-i', inventory], { timeoutMs: 180_000 });
    expect(status.stdout).toMatch(/traffic: lb-1 sends clients to BLUE \(\d+ blue, 0 green server\(s\) in service\)/);
    expect(await refusedByWindow(), 'the read-only window does not come back with the rollback').toBe(false);

    // A flag where the record says blue (left by hand, or by an earlier migration): a provision puts clients back.
    await lab.sh('lb-1', `touch ${FLAG}`);
    expect(await echoVersion(), 'the flag is read per request').toBe('4.6.0');
    const provision = await provisionCli(inventory);
    expect(provision.code, failureSummary(provision)).toBe(0);
    expect(await flagHeld()).toBe(false);
    expect(await echoVersion()).toBe('4.5.0');
  }, 1_200_000);
});
