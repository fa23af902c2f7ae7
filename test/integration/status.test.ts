/**
 * `apim-deploy status` against a real provisioned pattern 3 on 4 lab hosts (PostgreSQL, control plane, traffic
 * manager, gateway), through the real CLI: in sync and healthy after provision; drift on exactly the node whose
 * variable changed; a killed gateway shown down. Its own lab name and /24: the demo lab is never touched.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { baseVars, failureSummary, postgres, provisionCli, runCli, useLab, type DeploymentSpec } from './support/index.js';

const NAMES = ['db-1', 'cp-1', 'tm-1', 'gw-1'];
const lab = useLab({ workspace: 'apim-status', lab: { name: 't-status', names: NAMES, subnet: '10.213.241.0/24' } });
let inventoryPath: string;

/** Pattern 3, one node per role; `gatewayVars` go on gw-1 only. */
function writeInventory(gatewayVars: Record<string, unknown> = {}): void {
  const spec: DeploymentSpec = {
    name: 't-status', pattern: 3,
    hosts: Object.fromEntries(NAMES.map((h) => [h, h === 'gw-1' ? gatewayVars : {}])),
    roles: { database: ['db-1'], 'control-plane': ['cp-1'], 'traffic-manager': ['tm-1'], gateway: ['gw-1'] },
    vars: baseVars(postgres('db-1')),
  };
  inventoryPath = lab.deploy(spec).inventory;
}

interface JsonNode {
  host: string; role: string; ok: boolean; release: string | null; version: string | null;
  process: { state: string; pid: number | null }; health: { healthy: boolean }; drift: { path: string; problem: string }[];
}
async function statusJson(): Promise<{ code: number; nodes: JsonNode[]; ok: boolean }> {
  const r = await runCli(['status', '-i', inventoryPath, '--json']);
  expect(r.stderr).toBe('');
  const report = JSON.parse(r.stdout) as { format: number; ok: boolean; nodes: JsonNode[] };
  expect(report.format).toBe(1);
  return { code: r.code, nodes: report.nodes, ok: report.ok };
}

beforeAll(async () => {
  writeInventory();
  const run = await provisionCli(inventoryPath);
  expect(run.code, failureSummary(run)).toBe(0);
}, 300_000);

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

    const plain = await runCli(['status', '-i', inventoryPath]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain('All 4 nodes healthy and in sync.');
    const gw = lab.address('gw-1');
    expect(plain.stdout).toContain(`http://${gw}:8280/echo`);
    const echo = await fetch(`http://${gw}:8280/echo`);
    expect(echo.status).toBe(200);
  });

  it('a variable changed for one gateway (not provisioned): drift on that node alone, exit 1', async () => {
    writeInventory({ jvm_heap: '384m' });
    try {
      const { code, nodes } = await statusJson();
      expect(code).toBe(1);
      const drifted = nodes.filter((n) => n.drift.length > 0);
      expect(drifted.map((n) => `${n.host}/${n.role}`)).toEqual(['gw-1/gateway']);
      expect(drifted[0]!.drift).toEqual([{ path: '/opt/wso2/gateway/wso2.env', problem: 'differs' }]);
      expect(drifted[0]!.health.healthy).toBe(true);
      const plain = await runCli(['status', '-i', inventoryPath]);
      expect(plain.stdout).toMatch(/gw-1 +gateway .*healthy +DRIFT \(1 file\)/);
      expect(plain.stdout).toContain('config: /opt/wso2/gateway/wso2.env differs from the rendering');
    } finally {
      writeInventory();
    }
    expect((await statusJson()).code).toBe(0);
  });

  it('a killed gateway shows down (dead PID, failing health) while the others stay healthy', async () => {
    await lab.sh('gw-1', 'kill -9 "$(cat /opt/wso2/gateway/current/wso2carbon.pid)"');
    const { code, nodes } = await statusJson();
    expect(code).toBe(1);
    const gw = nodes.find((n) => n.host === 'gw-1')!;
    expect(gw.process.state).toBe('dead');
    expect(gw.health.healthy).toBe(false);
    expect(gw.ok).toBe(false);
    expect(nodes.filter((n) => n.host !== 'gw-1').every((n) => n.ok)).toBe(true);
    const plain = await runCli(['status', '-i', inventoryPath]);
    expect(plain.stdout).toMatch(/gw-1 +gateway +4\.6\.0-[0-9a-f]{8} +DEAD \(\d+\) +UNHEALTHY +in sync/);
    expect(plain.stdout).toContain('1 of 4 nodes need attention:');
  }, 30_000);
});
