/**
 * `apim-deploy provision` of pattern 4 (2 key managers) and of a multi-DC active-passive layout, each on as few lab
 * hosts as its pattern allows (WSO2 roles share hosts with port offsets): every health endpoint answers from the
 * controller, and for pattern 4 the sample API answers through nginx, also as a WebSocket (ws and wss). Both
 * deployments live in one lab, on their own hosts, provisioned one after the other.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  baseVars, failureSummary, healthEndpoints, httpGet, postgres, provisionCli, stepEnds, unhealthyEndpoints, useLab, waitFor, type DeploymentSpec,
} from './support/index.js';
import { websocketConnect } from '../support/websocket.js';

const PATTERN_4: DeploymentSpec = {
  name: 'p4',
  pattern: 4,
  hosts: { 'p4-infra': {}, 'p4-cp': {}, 'p4-km-1': {}, 'p4-km-2': {} },
  hostOptions: { 'p4-km-1': { port_offsets: { 'traffic-manager': 1 } }, 'p4-km-2': { port_offsets: { gateway: 1 } } },
  roles: {
    database: ['p4-infra'], 'load-balancer': ['p4-infra'], 'control-plane': ['p4-cp'],
    'key-manager': ['p4-km-1', 'p4-km-2'], 'traffic-manager': ['p4-km-1'], gateway: ['p4-km-2'],
  },
  vars: baseVars(postgres('p4-infra')),
};

const MULTI_DC: DeploymentSpec = {
  name: 'mdc',
  pattern: 'multi-dc-active-passive',
  hosts: { 'eu-1': {}, 'eu-2': {}, 'ap-1': {} },
  hostOptions: { 'eu-2': { port_offsets: { gateway: 1 } }, 'ap-1': { port_offsets: { gateway: 1 } } },
  datacenters: {
    eu: { vars: { gateway_environment: 'eu-west' }, roles: { database: ['eu-1'], 'control-plane': ['eu-1'], 'traffic-manager': ['eu-2'], gateway: ['eu-2'] } },
    ap: { vars: { gateway_environment: 'ap-southeast' }, roles: { 'traffic-manager': ['ap-1'], gateway: ['ap-1'] } },
  },
  vars: baseVars(postgres('eu-1')),
};

const lab = useLab({
  workspace: 'apim-prov-p4',
  lab: { name: 't-prov-c', names: [...Object.keys(PATTERN_4.hosts), ...Object.keys(MULTI_DC.hosts)], subnet: '10.213.212.0/24' },
});

describe('provision pattern 4 and multi-DC active-passive on shared hosts', () => {
  it('pattern 4 with 2 key managers: healthy from the outside, /echo through nginx, key managers before TMs', async () => {
    const files = lab.deploy(PATTERN_4);
    const run = await provisionCli(files.inventory);
    expect(run.code, failureSummary(run)).toBe(0);
    const endpoints = await healthEndpoints(files.inventory);
    expect(new Set(endpoints.map((e) => e.node.split('/')[1]))).toEqual(new Set(['database', 'load-balancer', 'control-plane', 'key-manager', 'traffic-manager', 'gateway']));
    expect(await unhealthyEndpoints(endpoints)).toEqual([]);
    expect((await httpGet(`https://${lab.address('p4-infra')}:8243/echo`)).status).toBe(200);

    const order = stepEnds(run.events).map((e) => e.stepId);
    const lastKmHealthy = Math.max(...['p4-km-1', 'p4-km-2'].map((h) => order.indexOf(`${h}/wait-healthy/key-manager`)));
    expect(lastKmHealthy).toBeGreaterThan(-1);
    expect(lastKmHealthy).toBeLessThan(order.indexOf('p4-km-1/start-component/traffic-manager'));
    expect(order.indexOf('p4-km-1/wait-healthy/traffic-manager')).toBeLessThan(order.indexOf('p4-km-2/start-component/gateway'));
  }, 240_000);

  it('pattern 4: a WebSocket through nginx, ws on 9099 and wss on 8099 (trusting only the internal CA), reaches the gateway at its offset', async () => {
    const lb = lab.address('p4-infra');
    // The CA the deployment made beside its inventory (.apim-deploy/<name>/pki): wss is verified, not waved through.
    const ca = readFileSync(join(lab.ws.dir, '.apim-deploy', PATTERN_4.name, 'pki', 'ca.crt'));
    for (const url of [`http://${lb}:9099/echo`, `https://${lb}:8099/echo`]) {
      const ws = await websocketConnect(url, { ca });
      if (!ws.upgraded) throw new Error(`${url}: no upgrade, ${ws.status} ${ws.error ?? ws.body}`);
      expect(ws.status).toBe(101);
      await waitFor(`the first frame from ${url}`, () => ws.frames.length > 0);
      expect(ws.frames[0]!.opcode).toBe(0x1);
      // The gateway on p4-km-2 (port offset 1: 9100/8100 behind the balancer) names itself.
      expect(JSON.parse(ws.frames[0]!.payload.toString())).toMatchObject({ node: lab.address('p4-km-2'), component: 'gateway' });
      ws.close();
      await ws.ended;
    }
    expect(await websocketConnect(`http://${lb}:9099/not-deployed`)).toMatchObject({ upgraded: false, status: 404 });
  }, 60_000);

  it('multi-DC active-passive (central control plane, per-DC traffic managers and gateways): healthy from the outside', async () => {
    const files = lab.deploy(MULTI_DC);
    const run = await provisionCli(files.inventory);
    expect(run.code, failureSummary(run)).toBe(0);
    const endpoints = await healthEndpoints(files.inventory);
    expect(endpoints.filter((e) => e.node.startsWith('ap-1/')).map((e) => e.node.split('/')[1]).sort()).toContain('gateway');
    expect(await unhealthyEndpoints(endpoints)).toEqual([]);
    expect((await httpGet(`http://${lab.address('ap-1')}:8281/echo`)).status).toBe(200);
  }, 240_000);
});
