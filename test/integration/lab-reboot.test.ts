/**
 * Boots with the host (issue 12): pattern 2 (PostgreSQL, an all-in-one, a gateway) on lab hosts started with the
 * lab's systemd stand-in (`lab up --init systemd`). The inventory leaves service_manager unset: apim-deploy sees
 * systemd on the hosts (/run/systemd/system) and uses it, enabling every unit; a second run changes nothing. Then
 * every host loses power at once (`lab reboot`) and each node must come back healthy by itself, the gateway and the
 * all-in-one retrying until PostgreSQL and their peers are up (no apim-deploy run in between), and `status` says so.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { labExec, labReboot, type LabState } from '../../src/lab/hosts/index.js';
import {
  baseVars, changedCount, failureSummary, postgres, provisionCli, REPO_ROOT, runCli, stepEnds, useLab, waitFor, wso2PidFile,
} from './support/index.js';

const NAMES = ['db-1', 'aio-1', 'gw-1'];
const lab = useLab({ workspace: 'apim-i12b', lab: { name: 't-i12b', names: NAMES, subnet: '10.213.163.0/24', init: 'systemd' } });
const UNITS: Record<string, string> = { 'db-1': 'postgresql@15-main.service', 'aio-1': 'wso2am-all-in-one.service', 'gw-1': 'wso2am-gateway.service' };
let inventory: string;

async function sh(state: LabState, host: string, script: string): Promise<{ code: number; out: string }> {
  const r = await labExec(state, host, ['sh', '-c', script]);
  return { code: r.code, out: `${r.stdout}${r.stderr}`.trim() };
}

interface JsonNode { host: string; role: string; ok: boolean; process: { state: string; pid: number | null }; health: { healthy: boolean } }
async function status(): Promise<{ code: number; nodes: JsonNode[] }> {
  const r = await runCli(['status', '-i', inventory, '--json']);
  try {
    return { code: r.code, nodes: (JSON.parse(r.stdout) as { nodes: JsonNode[] }).nodes };
  } catch {
    return { code: r.code, nodes: [] };
  }
}

beforeAll(async () => {
  inventory = lab.deploy({
    name: 't-i12b', pattern: 2,
    hosts: Object.fromEntries(NAMES.map((h) => [h, {}])),
    roles: { database: ['db-1'], 'all-in-one': ['aio-1'], gateway: ['gw-1'] },
    vars: baseVars(postgres('db-1')),
  }).inventory;
  const run = await provisionCli(inventory);
  // On failure, what each unit said (the stand-in's journal) goes with the summary.
  const journals = run.code === 0 ? [] : await Promise.all(NAMES.map(async (h) => `${h}: ${(await sh(lab.state, h, `journalctl -u ${UNITS[h]} -n 30`)).out}`));
  expect(run.code, [failureSummary(run), ...journals].join('\n')).toBe(0);
}, 600_000);

describe('lab hosts with systemd: units enabled, and every node back after a power cut', () => {
  it('picks systemd by itself, enables each node\'s unit, and a second run changes nothing', async () => {
    for (const host of NAMES) {
      const r = await sh(lab.state, host, `test -d /run/systemd/system && systemctl is-enabled ${UNITS[host]} && systemctl is-active ${UNITS[host]} && readlink /etc/systemd/system/multi-user.target.wants/${UNITS[host]}`);
      expect(r, host).toMatchObject({ code: 0 });
      expect(r.out.split('\n').slice(0, 2)).toEqual(['enabled', 'active']);
    }
    // Nothing else is enabled on a fresh lab host (the machine's own nginx/haproxy/ssh links are hidden).
    expect((await sh(lab.state, 'gw-1', 'ls /etc/systemd/system/multi-user.target.wants')).out).toBe('wso2am-gateway.service');
    const again = await provisionCli(inventory);
    expect(again.code, failureSummary(again)).toBe(0);
    expect(changedCount(again.events)).toBe(0);
    expect(stepEnds(again.events).map((e) => e.kind).filter((k) => k !== 'wait-healthy')).toEqual([]);
  }, 300_000);

  it('after every host reboots at once, each node comes back healthy by itself and status reports it', async () => {
    const wso2Pids = (nodes: JsonNode[]) => nodes.filter((n) => n.role !== 'database').map((n) => n.process.pid);
    const before = wso2Pids((await status()).nodes);
    expect(before.length).toBe(2);
    expect(before.every((p) => p !== null && p > 0)).toBe(true);
    const state = await labReboot({ name: 't-i12b', projectRoot: REPO_ROOT });
    let last: { code: number; nodes: JsonNode[] } = { code: -1, nodes: [] };
    await waitFor('every node healthy after the reboot', async () => {
      last = await status();
      return last.code === 0 && last.nodes.length === 3 && last.nodes.every((n) => n.ok && n.health.healthy);
    }, { timeoutMs: 600_000, intervalMs: 3000 });
    expect(last.nodes.map((n) => `${n.host}/${n.role}:${n.process.state}`)).toEqual(['db-1/database:running', 'aio-1/all-in-one:running', 'gw-1/gateway:running']);
    // Started by the boot, under systemd (the stand-in's record of the main PID is the WSO2 PID file's).
    for (const [host, role] of [['aio-1', 'all-in-one'], ['gw-1', 'gateway']] as const) {
      const r = await sh(state, host, `systemctl show -p MainPID --value ${UNITS[host]}; cat ${wso2PidFile(role)}`);
      const [main, pid] = r.out.split('\n');
      expect(main, `${host} MainPID`).toBe(pid);
      expect((await sh(state, host, 'cat /run/systemd/lab-boot.log')).out).toContain(`Started ${UNITS[host]}`);
    }
    expect((await sh(state, 'db-1', `systemctl is-active ${UNITS['db-1']}`)).out).toBe('active');
    const plain = await runCli(['status', '-i', inventory]);
    expect(plain.code, plain.stdout).toBe(0);
    expect(plain.stdout).toContain('All 3 nodes healthy and in sync.');
  }, 900_000);
});
