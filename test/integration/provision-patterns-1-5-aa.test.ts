/**
 * `apim-deploy provision` of the patterns no other lab test provisions: 1 (all-in-one HA), 5 (all-in-one, gateway and
 * key manager) and multi-DC active-active (two identical regions), each on as few lab hosts as its pattern allows,
 * against the strict simulator: every health endpoint answers from the controller and the sample API answers through
 * the balancer. Active-active also shows its control planes' cross-region event publishers logged in to the other
 * region's event hubs (docs-apim multi-DC pattern 1). One lab, each deployment on its own hosts, one after the other.
 */
import { describe, expect, it } from 'vitest';
import {
  baseVars, failureSummary, healthEndpoints, httpGet, postgres, provisionCli, unhealthyEndpoints, useLab, waitFor, type DeploymentSpec,
} from './support/index.js';

const PATTERN_1: DeploymentSpec = {
  name: 'p1',
  pattern: 1,
  hosts: { 'p1-infra': {}, 'p1-aio-1': {}, 'p1-aio-2': {} },
  roles: { database: ['p1-infra'], 'load-balancer': ['p1-infra'], 'all-in-one': ['p1-aio-1', 'p1-aio-2'] },
  vars: baseVars(postgres('p1-infra')),
};

const PATTERN_5: DeploymentSpec = {
  name: 'p5',
  pattern: 5,
  hosts: { 'p5-infra': {}, 'p5-aio': {}, 'p5-gw-km': {} },
  hostOptions: { 'p5-gw-km': { port_offsets: { 'key-manager': 1 } } },
  roles: { database: ['p5-infra'], 'load-balancer': ['p5-infra'], 'all-in-one': ['p5-aio'], gateway: ['p5-gw-km'], 'key-manager': ['p5-gw-km'] },
  vars: baseVars(postgres('p5-infra')),
};

const region = (dc: string) => ({
  vars: { database: { ...postgres(`aa-${dc}-infra`), replicated: true } },
  roles: { database: [`aa-${dc}-infra`], 'load-balancer': [`aa-${dc}-infra`], 'control-plane': [`aa-${dc}-cp`], 'traffic-manager': [`aa-${dc}-gw`], gateway: [`aa-${dc}-gw`] },
});
const { database: _sharedDatabase, ...aaVars } = baseVars(postgres('aa-eu-infra'));
const ACTIVE_ACTIVE: DeploymentSpec = {
  name: 'aa',
  pattern: 'multi-dc-active-active',
  hosts: { 'aa-eu-infra': {}, 'aa-eu-cp': {}, 'aa-eu-gw': {}, 'aa-us-infra': {}, 'aa-us-cp': {}, 'aa-us-gw': {} },
  hostOptions: { 'aa-eu-gw': { port_offsets: { gateway: 1 } }, 'aa-us-gw': { port_offsets: { gateway: 1 } } },
  datacenters: { eu: region('eu'), us: region('us') },
  vars: aaVars,
};

const lab = useLab({
  workspace: 'apim-prov-p1-p5-aa',
  lab: { name: 't-prov-aa', names: [...Object.keys(PATTERN_1.hosts), ...Object.keys(PATTERN_5.hosts), ...Object.keys(ACTIVE_ACTIVE.hosts)], subnet: '10.213.224.0/24' },
});

const CP_LOG = '/opt/wso2/control-plane/current/repository/logs/wso2carbon.log';

describe('provision patterns 1, 5 and multi-DC active-active against the strict simulator', () => {
  it('pattern 1: two all-in-one nodes, healthy from the outside, /echo through the balancer', async () => {
    const files = lab.deploy(PATTERN_1);
    const run = await provisionCli(files.inventory);
    expect(run.code, failureSummary(run)).toBe(0);
    const endpoints = await healthEndpoints(files.inventory);
    expect(new Set(endpoints.filter((e) => e.node.endsWith('/all-in-one')).map((e) => e.node))).toEqual(new Set(['p1-aio-1/all-in-one', 'p1-aio-2/all-in-one']));
    expect(await unhealthyEndpoints(endpoints)).toEqual([]);
    expect((await httpGet(`https://${lab.address('p1-infra')}:8243/echo`)).status).toBe(200);
  }, 300_000);

  it('pattern 5: all-in-one, gateway and key manager, healthy from the outside, /echo through the balancer', async () => {
    const files = lab.deploy(PATTERN_5);
    const run = await provisionCli(files.inventory);
    expect(run.code, failureSummary(run)).toBe(0);
    const endpoints = await healthEndpoints(files.inventory);
    expect(new Set(endpoints.map((e) => e.node.split('/')[1]))).toEqual(new Set(['database', 'load-balancer', 'all-in-one', 'gateway', 'key-manager']));
    expect(await unhealthyEndpoints(endpoints)).toEqual([]);
    const echo = await httpGet(`https://${lab.address('p5-infra')}:8243/echo`);
    expect(echo.status).toBe(200);
    expect(JSON.parse(echo.body).component).toBe('gateway');
  }, 300_000);

  it('active-active: both regions serve /echo through their own balancer; each control plane publishes to the other region', async () => {
    const files = lab.deploy(ACTIVE_ACTIVE);
    const run = await provisionCli(files.inventory);
    expect(run.code, failureSummary(run)).toBe(0);
    expect(await unhealthyEndpoints(await healthEndpoints(files.inventory))).toEqual([]);
    for (const dc of ['eu', 'us']) {
      const echo = await httpGet(`https://${lab.address(`aa-${dc}-infra`)}:8243/echo`);
      expect(echo.status).toBe(200);
      expect(JSON.parse(echo.body).node).toBe(lab.address(`aa-${dc}-gw`));
    }
    // The publishers connect in the background and retry while the other region boots: wait for all five per side.
    for (const [dc, peer] of [['eu', 'us'], ['us', 'eu']] as const) {
      const target = `connected to tcp://${lab.address(`aa-${peer}-cp`)}:5672`;
      await waitFor(`aa-${dc}-cp's five cross-region publishers to log in to aa-${peer}-cp`, async () =>
        (await lab.sh(`aa-${dc}-cp`, `cat ${CP_LOG}`)).split('\n').filter((l) => l.includes(target)).length === 5,
      { timeoutMs: 120_000, intervalMs: 1000 });
      expect(await lab.sh(`aa-${peer}-cp`, `cat ${CP_LOG}`)).not.toContain('Authentication failed');
    }
  }, 420_000);
});
