/**
 * Issue 17's acceptance run: pattern 3 (control plane, traffic manager and gateway layers, HAProxy, PostgreSQL) at
 * 4.5.0 migrated to 4.6.0 in one `migrate --until switch` (backup, green databases, schema, provision-green,
 * verify-green, switch) while support/traffic.ts sends GET and POST over keep-alive and fresh connections, slow
 * requests and sticky portal users through the balancer the whole time: 0 failed requests, and an API record written
 * on blue before the migration is on green. Then `--rollback` under load: 0 failed, blue answers again.
 */
import { appendFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseVars, failureSummary, httpGet, postgres, provisionCli, runCli, tryGet, useLab, type CliResult, type DeploymentSpec } from './support/index.js';
import { listedIds, publisherCall } from './support/publisher.js';
import { expectNoFailures, haproxyClientServers, runUnderLoad, sideOf } from './support/switch-traffic.js';
import { waitFor } from '../support/wait.js';

const BLUE = ['cp-1', 'tm-1', 'gw-1', 'gw-2'] as const;
const GREEN = BLUE.map((h) => `${h}-green`);
const SPEC: DeploymentSpec = {
  name: 'p3-migrate',
  pattern: 3,
  version: '4.5.0',
  hosts: Object.fromEntries([...BLUE, 'lb-1', 'db-1'].map((h) => [h, {}])),
  roles: { 'control-plane': ['cp-1'], 'traffic-manager': ['tm-1'], gateway: ['gw-1', 'gw-2'], 'load-balancer': ['lb-1'], database: ['db-1'] },
  vars: { ...baseVars(postgres('db-1')), load_balancer: 'haproxy' },
};
const lab = useLab({ workspace: 'apim-i17p3', versions: ['4.5.0', '4.6.0'], lab: { name: 't-i17p3', names: [...BLUE, 'lb-1', 'db-1', ...GREEN], subnet: '10.213.222.0/24' } });
let inventory: string;
let probeId: string;

const migrateArgs = (...extra: string[]) => ['migrate', '-i', inventory, '--to', '4.6.0', ...extra];
const output = (r: CliResult) => `${r.stdout.slice(-4000)}\n${r.stderr}`;
const echoVersion = async () => (JSON.parse((await httpGet(`http://${lab.address('lb-1')}:8280/echo`)).body) as { version: string }).version;
const side = async () => sideOf(lab, await haproxyClientServers(lab, 'lb-1'), BLUE, GREEN);
const underLoad = (args: readonly string[]) => runUnderLoad(lab, [{ host: 'lb-1', portals: true }], args, 1_500_000);

beforeAll(async () => {
  inventory = lab.deploy(SPEC).inventory;
  appendFileSync(inventory, `green:\n${BLUE.map((h) => `  ${h}: { address: ${lab.address(`${h}-green`)} }\n`).join('')}`);
  const run = await provisionCli(inventory);
  if (run.code !== 0) throw new Error(`provision at 4.5.0 failed: ${failureSummary(run)}`);
  const created = await publisherCall(lab.address('cp-1'), 'POST', { name: 'P3Probe', context: '/p3probe', version: '1.0.0' });
  if (created.status !== 201) throw new Error(`the API record was not created on blue: ${created.status} ${created.body}`);
  probeId = (JSON.parse(created.body) as { id: string }).id;
  // HAProxy puts a server in service after its own check passes twice (rise 2, inter 1s), which can come after
  // provision has returned (the gateways' health is gated, not the balancer's view of them): the migration starts
  // once the balancer has sent /echo to both blue gateways.
  const answered = new Set<string>();
  await waitFor('lb-1 to route /echo to gw-1 and gw-2', async () => {
    const a = await tryGet(`http://${lab.address('lb-1')}:8280/echo`);
    if (a.status === 200) answered.add((JSON.parse(a.body) as { host: string }).host);
    return answered.has('gw-1') && answered.has('gw-2');
  }, { timeoutMs: 120_000, intervalMs: 200 });
}, 1_200_000);

describe('migrate pattern 3 from 4.5.0 to 4.6.0 under load', () => {
  it('one run from the backup to the switch: 0 failed requests, /echo by 4.6.0, every green layer healthy at 4.6.0, blue\'s record on green', async () => {
    expect(await echoVersion()).toBe('4.5.0');
    expect(await side()).toBe('blue');
    const { run, reports } = await underLoad(migrateArgs('--accept-write-loss', '--until', 'switch'));
    expect(run.code, output(run)).toBe(0);
    expectNoFailures(reports, 50);
    expect(await side()).toBe('green');
    expect(await echoVersion()).toBe('4.6.0');
    expect(listedIds(await publisherCall(lab.address('cp-1-green'), 'GET'))).toContain(probeId);
    const status = await runCli(['status', '-i', inventory], { timeoutMs: 180_000 });
    expect(status.stdout).toMatch(/traffic: lb-1 sends clients to GREEN/);
    for (const [blue, role] of [['cp-1', 'control-plane'], ['tm-1', 'traffic-manager'], ['gw-1', 'gateway'], ['gw-2', 'gateway']] as const) {
      expect(status.stdout, `${blue}-green/${role}`).toMatch(new RegExp(`${blue}-green/${role}: 4\\.6\\.0, healthy`));
    }
  }, 1_800_000);

  it('--rollback under load: 0 failed requests, blue answers again at 4.5.0', async () => {
    const { run, reports } = await underLoad(migrateArgs('--rollback'));
    expect(run.code, output(run)).toBe(0);
    expectNoFailures(reports, 50);
    expect(await side()).toBe('blue');
    expect(await echoVersion()).toBe('4.5.0');
  }, 1_200_000);
});
