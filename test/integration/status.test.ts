/**
 * `apim-deploy status` against a real provisioned pattern 3 on 4 lab hosts (PostgreSQL, control plane, traffic
 * manager, gateway), through the real CLI: in sync and healthy after provision; drift on exactly the node whose
 * variable changed; a killed gateway shown down. Its own lab name and /24: the demo lab is never touched.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDistributions } from '../../src/lab/dist/build.js';
import { clientKeyPath, knownHostsPath, labDown, labExec, labUp, type LabState } from '../../src/lab/hosts/index.js';
import { provision } from '../../src/workflows/provision.js';

const REPO = resolve(import.meta.dirname, '../..');
const LAB = { name: 't-status', projectRoot: REPO } as const;
const SUBNET = '10.213.241.0/24';
const NAMES = ['db-1', 'cp-1', 'tm-1', 'gw-1'];

const work = mkdtempSync(join(tmpdir(), 'apim-status-'));
const inventoryPath = join(work, 'status.yaml');
let state: LabState;

/** Pattern 3, one node per role; `gatewayVars` go on gw-1 only. */
function writeInventory(gatewayVars = ''): void {
  const address = (h: string) => state.hosts.find((x) => x.name === h)!.address;
  const dist = join(work, 'dist');
  writeFileSync(inventoryPath, [
    'name: t-status',
    'pattern: 3',
    'apim:',
    '  version: 4.6.0',
    '  distributions:',
    `    acp: { path: "${dist}/wso2am-acp-{version}.zip" }`,
    `    universal-gw: { path: "${dist}/wso2am-universal-gw-{version}.zip" }`,
    `    tm: { path: "${dist}/wso2am-tm-{version}.zip" }`,
    `  jdk: { path: "${dist}/jdk-21.0.5.tar.gz" }`,
    `defaults: { user: root, port: 22, ssh_key: "${clientKeyPath(LAB)}", known_hosts: "${knownHostsPath(LAB)}" }`,
    'vars:',
    '  admin_password: ${ADMIN_PASSWORD}',
    '  keystore_password: ${KEYSTORE_PASSWORD}',
    '  truststore_password: ${TRUSTSTORE_PASSWORD}',
    '  database: { type: postgresql, host: db-1, user: apimadmin, password: "${DB_PASSWORD}" }',
    '  jvm_heap: 256m',
    'hosts:',
    ...NAMES.map((h) => `  ${h}: { address: ${address(h)}${h === 'gw-1' && gatewayVars ? `, vars: { ${gatewayVars} }` : ''} }`),
    'roles:',
    '  database: [db-1]',
    '  control-plane: [cp-1]',
    '  traffic-manager: [tm-1]',
    '  gateway: [gw-1]',
    '',
  ].join('\n'));
}

interface CliResult { code: number; stdout: string; stderr: string }
function cli(args: string[]): Promise<CliResult> {
  return new Promise((done) => {
    execFile(join(REPO, 'bin/apim-deploy'), args, { encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) =>
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }));
  });
}

interface JsonNode {
  host: string; role: string; ok: boolean; release: string | null; version: string | null;
  process: { state: string; pid: number | null }; health: { healthy: boolean }; drift: { path: string; problem: string }[];
}
async function statusJson(): Promise<{ code: number; nodes: JsonNode[]; ok: boolean }> {
  const r = await cli(['status', '-i', inventoryPath, '--json']);
  expect(r.stderr).toBe('');
  const report = JSON.parse(r.stdout) as { format: number; ok: boolean; nodes: JsonNode[] };
  expect(report.format).toBe(1);
  return { code: r.code, nodes: report.nodes, ok: report.ok };
}

beforeAll(async () => {
  await labDown(LAB); // a crashed earlier run leaves its state: start clean
  state = await labUp({ ...LAB, names: NAMES, subnet: SUBNET });
  await buildDistributions({ version: '4.6.0', outDir: join(work, 'dist') });
  writeFileSync(join(work, 'status.env'), 'ADMIN_PASSWORD=st-Admin-pw1\nKEYSTORE_PASSWORD=wso2carbon\nTRUSTSTORE_PASSWORD=wso2carbon\nDB_PASSWORD=st-Db-pw1\n');
  writeInventory();
  const result = await provision({ inventory: inventoryPath });
  expect(result.exitCode).toBe(0);
}, 300_000);

afterAll(async () => {
  await labDown(LAB);
  rmSync(work, { recursive: true, force: true });
}, 120_000);

describe('apim-deploy status', () => {
  it('after provision: every node healthy, in sync, running its release; exit 0; URLs from the inventory', async () => {
    const { code, nodes, ok } = await statusJson();
    expect(code).toBe(0);
    expect(ok).toBe(true);
    expect(nodes.map((n) => `${n.host}/${n.role}`)).toEqual(['db-1/database', 'cp-1/control-plane', 'tm-1/traffic-manager', 'gw-1/gateway']);
    for (const n of nodes) expect(n).toMatchObject({ ok: true, drift: [], health: { healthy: true }, process: { state: 'running' } });
    for (const n of nodes.filter((x) => x.role !== 'database')) {
      expect(n.version).toBe('4.6.0');
      expect(n.release).toMatch(/^4\.6\.0-[0-9a-f]{8}$/);
      expect(n.process.pid).toBeGreaterThan(0);
    }

    const plain = await cli(['status', '-i', inventoryPath]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('All 4 nodes healthy and in sync.');
    const gw = state.hosts.find((h) => h.name === 'gw-1')!.address;
    expect(plain.stdout).toContain(`http://${gw}:8280/echo`);
    const echo = await fetch(`http://${gw}:8280/echo`);
    expect(echo.status).toBe(200);
  });

  it('a variable changed for one gateway (not provisioned): drift on that node alone, exit 1', async () => {
    writeInventory('jvm_heap: 384m');
    try {
      const { code, nodes } = await statusJson();
      expect(code).toBe(1);
      const drifted = nodes.filter((n) => n.drift.length > 0);
      expect(drifted.map((n) => `${n.host}/${n.role}`)).toEqual(['gw-1/gateway']);
      expect(drifted[0]!.drift).toEqual([{ path: '/opt/wso2/gateway/wso2.env', problem: 'differs' }]);
      expect(drifted[0]!.health.healthy).toBe(true);
      const plain = await cli(['status', '-i', inventoryPath]);
      expect(plain.stdout).toMatch(/gw-1 +gateway .*healthy +DRIFT \(1 file\)/);
      expect(plain.stdout).toContain('config: /opt/wso2/gateway/wso2.env differs from the rendering');
    } finally {
      writeInventory();
    }
    expect((await statusJson()).code).toBe(0);
  });

  it('a killed gateway shows down (dead PID, failing health) while the others stay healthy', async () => {
    const kill = await labExec(state, 'gw-1', ['sh', '-c', 'kill -9 "$(cat /opt/wso2/gateway/current/wso2carbon.pid)"']);
    expect(kill.code).toBe(0);
    const { code, nodes } = await statusJson();
    expect(code).toBe(1);
    const gw = nodes.find((n) => n.host === 'gw-1')!;
    expect(gw.process.state).toBe('dead');
    expect(gw.health.healthy).toBe(false);
    expect(gw.ok).toBe(false);
    expect(nodes.filter((n) => n.host !== 'gw-1').every((n) => n.ok)).toBe(true);
    const plain = await cli(['status', '-i', inventoryPath]);
    expect(plain.stdout).toMatch(/gw-1 +gateway +4\.6\.0-[0-9a-f]{8} +DEAD \(\d+\) +UNHEALTHY +in sync/);
    expect(plain.stdout).toContain('1 of 4 nodes need attention:');
  }, 30_000);
});
