/**
 * `migrate --to 4.6.0` of a multi-datacenter active-passive estate (docs/migrate.md "Multi-datacenter estates"): the
 * central database migrates once, and the switch moves the balancers datacenter by datacenter, each recorded as it
 * lands. Central eu (database and HAProxy on one host, control plane, a traffic manager and a gateway sharing a host),
 * regional ap (HAProxy, a traffic manager and a gateway sharing a host), each WSO2 host with a green partner.
 * - Ctrl-C once eu is on green and ap is about to move: eu serves green, ap blue, each wholly; the record names eu; a
 *   plain provision keeps each datacenter where it is; a re-run under load in both datacenters moves ap with 0 failed
 *   requests.
 * - --rollback under load goes back ap first, then eu, with 0 failed requests.
 */
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  baseVars, failureSummary, httpGet, interruptCli, postgres, provisionCli, runCli, useLab, wso2Pids, type CliResult, type DeploymentSpec,
} from './support/index.js';
import { listedIds, publisherCall } from './support/publisher.js';
import { expectNoFailures, haproxyClientServers, runUnderLoad, sideOf } from './support/switch-traffic.js';

const BLUE = ['eu-cp', 'eu-dp', 'ap-dp'] as const;
const GREEN = BLUE.map((h) => `${h}-green`);
const BLUE_NODES = ['eu-cp/control-plane', 'eu-dp/traffic-manager', 'eu-dp/gateway', 'ap-dp/traffic-manager', 'ap-dp/gateway'];
const BALANCERS = { eu: 'eu-infra', ap: 'ap-lb' } as const;
const SPEC: DeploymentSpec = {
  name: 'mdc-migrate',
  pattern: 'multi-dc-active-passive',
  version: '4.5.0',
  hosts: Object.fromEntries(['eu-infra', ...BLUE, 'ap-lb'].map((h) => [h, {}])),
  hostOptions: { 'eu-dp': { port_offsets: { gateway: 1 } }, 'ap-dp': { port_offsets: { gateway: 1 } } },
  datacenters: {
    eu: { vars: { gateway_environment: 'eu-west' }, roles: { database: ['eu-infra'], 'load-balancer': ['eu-infra'], 'control-plane': ['eu-cp'], 'traffic-manager': ['eu-dp'], gateway: ['eu-dp'] } },
    ap: { vars: { gateway_environment: 'ap-southeast' }, roles: { 'load-balancer': ['ap-lb'], 'traffic-manager': ['ap-dp'], gateway: ['ap-dp'] } },
  },
  vars: { ...baseVars(postgres('eu-infra')), load_balancer: 'haproxy' },
};
const lab = useLab({ workspace: 'apim-i17dc', versions: ['4.5.0', '4.6.0'], lab: { name: 't-i17dc', names: ['eu-infra', ...BLUE, 'ap-lb', ...GREEN], subnet: '10.213.221.0/24' } });
let inventory: string;
let probeId: string;

const migrateArgs = (...extra: string[]) => ['migrate', '-i', inventory, '--to', '4.6.0', ...extra];
const UNTIL_SWITCH = ['--accept-write-loss', '--until', 'switch'];
const output = (r: CliResult) => `${r.stdout.slice(-4000)}\n${r.stderr}`;
const echoVersion = async (lb: string) => (JSON.parse((await httpGet(`http://${lab.address(lb)}:8280/echo`)).body) as { version: string }).version;

/** Which side a balancer's HAProxy sends clients to, from its runtime API. */
const sideAt = async (lb: string): Promise<string> => sideOf(lab, await haproxyClientServers(lab, lb), BLUE, GREEN);

/** The controller's record of the migration (the only one beside the inventory). */
function record(): { clients?: string; greenDatacenters?: string[]; phasesDone: string[] } {
  const root = join(dirname(inventory), '.apim-deploy', 'migrations');
  const [id] = readdirSync(root);
  return JSON.parse(readFileSync(join(root, id!, 'migration.json'), 'utf8'));
}

/** Runs the CLI while clients send through both datacenters' balancers (portal users in eu, which fronts the control plane). */
const underLoad = (args: readonly string[]) => runUnderLoad(lab, [{ host: BALANCERS.eu, portals: true }, { host: BALANCERS.ap, portals: false }], args);

beforeAll(async () => {
  inventory = lab.deploy(SPEC).inventory;
  appendFileSync(inventory, `green:\n${BLUE.map((h) => `  ${h}: { address: ${lab.address(`${h}-green`)} }\n`).join('')}`);
  const run = await provisionCli(inventory);
  if (run.code !== 0) throw new Error(`provision at 4.5.0 failed: ${failureSummary(run)}`);
  const created = await publisherCall(lab.address('eu-cp'), 'POST', { name: 'DcProbe', context: '/dcprobe', version: '1.0.0' });
  if (created.status !== 201) throw new Error(`the API record was not created on blue: ${created.status} ${created.body}`);
  probeId = (JSON.parse(created.body) as { id: string }).id;
  const green = await runCli(migrateArgs('--accept-write-loss', '--until', 'verify-green', '--json'), { timeoutMs: 1_200_000 });
  if (green.code !== 0) throw new Error(`migrate --until verify-green failed: ${output(green)}`);
  // eu-infra holds the database and a balancer: green's run plans its database alone (green's view of the balancer
  // would send blue's clients to green), and haproxy.cfg already holds the green-only listener (green: was in the
  // inventory when blue was provisioned): the balancer is neither written nor reloaded.
  const touched = green.events.filter((e) => e.type === 'step-end' && e.status === 'changed' && 'host' in e && e.host === 'eu-infra').map((e) => ('stepId' in e ? e.stepId : '?'));
  const balancerSteps = touched.filter((id) => /haproxy|load-balancer/.test(id));
  if (balancerSteps.length > 0 || !touched.some((id) => id.endsWith('pg_hba.conf'))) {
    throw new Error(`provision-green on eu-infra: expected pg_hba.conf written and the balancer untouched; changed: ${touched.join(', ')}`);
  }
}, 2_400_000);

describe('migrate a multi-datacenter estate: the switch datacenter by datacenter', () => {
  it('Ctrl-C with eu on green and ap about to move: each datacenter serves one side wholly, recorded; provision keeps it; a re-run under load moves ap with 0 failed requests', async () => {
    expect([await echoVersion(BALANCERS.eu), await echoVersion(BALANCERS.ap)]).toEqual(['4.5.0', '4.5.0']);
    const pids = await wso2Pids(lab, BLUE_NODES);
    const { code, out, sent } = await interruptCli(migrateArgs(...UNTIL_SWITCH, '--json'), /"type":"step-start"[^\n]*"stepId":"ap-lb\/[^"]*"[^\n]*"kind":"wait-routable"|"type":"step-start"[^\n]*"kind":"wait-routable"[^\n]*"stepId":"ap-lb\//);
    expect(sent, out.slice(-3000)).toBe(true);
    expect(code, out.slice(-3000)).toBe(130);
    expect(await sideAt(BALANCERS.eu)).toBe('green');
    expect(await sideAt(BALANCERS.ap), 'interrupted before ap\'s green was put in').toBe('blue');
    expect([await echoVersion(BALANCERS.eu), await echoVersion(BALANCERS.ap)]).toEqual(['4.6.0', '4.5.0']);
    expect(record()).toMatchObject({ greenDatacenters: ['eu'] });
    expect(record().clients).toBeUndefined();
    expect(await wso2Pids(lab, BLUE_NODES)).toEqual(pids);

    const status = await runCli(['status', '-i', inventory], { timeoutMs: 180_000 });
    expect(status.stdout).toMatch(/traffic: eu-infra sends clients to GREEN/);
    expect(status.stdout).toMatch(/traffic: ap-lb sends clients to BLUE/);
    const provision = await provisionCli(inventory);
    expect(provision.code, failureSummary(provision)).toBe(0);
    expect([await sideAt(BALANCERS.eu), await sideAt(BALANCERS.ap)], 'a plain provision keeps each datacenter where the switch left it').toEqual(['green', 'blue']);

    const { run, reports } = await underLoad(migrateArgs(...UNTIL_SWITCH));
    expect(run.code, output(run)).toBe(0);
    // Neither green's run (which plans the database on eu-infra) nor blue's balancer plan touches a balancer that is
    // switching through its runtime API: no reload, no config upload outside the switch.
    const balancerChanges = run.events.filter((e) => e.type === 'step-end' && e.status === 'changed' && 'host' in e && Object.values(BALANCERS).includes(e.host as never))
      .map((e) => ('stepId' in e ? e.stepId : '?'));
    console.log(`re-run: changed on the balancers: ${balancerChanges.join(', ')}`);
    expect(balancerChanges.filter((id) => /reload-component\/load-balancer/.test(id))).toEqual([]);
    expectNoFailures(reports);
    expect([await sideAt(BALANCERS.eu), await sideAt(BALANCERS.ap)]).toEqual(['green', 'green']);
    expect([await echoVersion(BALANCERS.eu), await echoVersion(BALANCERS.ap)]).toEqual(['4.6.0', '4.6.0']);
    expect(record()).toMatchObject({ clients: 'green' });
    expect(record().phasesDone).toContain('switch');
    const onGreen = await publisherCall(lab.address('eu-cp-green'), 'GET');
    expect(listedIds(onGreen)).toContain(probeId);
  }, 2_400_000);

  it('rollback under load: ap back first, then eu, 0 failed requests; blue answers in both', async () => {
    const { run, reports } = await underLoad(migrateArgs('--rollback'));
    expect(run.code, output(run)).toBe(0);
    expectNoFailures(reports);
    const firstOf = (host: string) => run.events.findIndex((e) => e.type === 'step-start' && 'host' in e && e.host === host);
    expect(firstOf(BALANCERS.ap)).toBeGreaterThan(-1);
    expect(firstOf(BALANCERS.ap), 'ap moves back before eu').toBeLessThan(firstOf(BALANCERS.eu));
    expect([await sideAt(BALANCERS.eu), await sideAt(BALANCERS.ap)]).toEqual(['blue', 'blue']);
    expect([await echoVersion(BALANCERS.eu), await echoVersion(BALANCERS.ap)]).toEqual(['4.5.0', '4.5.0']);
    expect(record().clients).toBeUndefined();
    expect(record().greenDatacenters).toBeUndefined();
  }, 1_200_000);
});
