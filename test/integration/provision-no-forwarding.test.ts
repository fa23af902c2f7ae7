/**
 * Pattern 3 on hosts hardened as CIS asks: their sshd allow no TCP forwarding (`lab up --forbid-tcp-forwarding`), and
 * they sit behind a bastion the controller alone can reach (the bastion forwards: that is its job). No health check can
 * travel in the SSH connection, and the controller has no route to any port of the hosts: every check of every role
 * must run on its node. Through the real CLI: provisioned cold, re-run with 0 changed, status healthy.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { HostSpec } from '../../src/model/inventory.js';
import { closeAll, openTransports } from '../../src/transport/open.js';
import { TcpForwardingRefused } from '../../src/transport/transport.js';
import { echoRelease } from '../support/release-label.js';
import { baseVars, changedCount, failureSummary, postgres, provisionCli, runCli, useLab, type DeploymentSpec } from './support/index.js';

const HOSTS = ['cp-1', 'cp-2', 'tm-1', 'tm-2', 'gw-1', 'gw-2', 'lb-1', 'db-1'];
const spec: DeploymentSpec = {
  name: 'nofwd', pattern: 3, version: '4.6.0',
  hosts: Object.fromEntries(HOSTS.map((h) => [h, {}])),
  roles: { 'control-plane': ['cp-1', 'cp-2'], 'traffic-manager': ['tm-1', 'tm-2'], gateway: ['gw-1', 'gw-2'], 'load-balancer': ['lb-1'], database: ['db-1'] },
  vars: baseVars(postgres('db-1')),
};

const lab = useLab({
  workspace: 'apim-nofwd',
  lab: { name: 't-nofwd-p3', names: HOSTS, subnet: '10.213.196.0/24', bastionSubnet: '10.213.197.0/24', forbidTcpForwarding: true },
});
let inventory: string;

beforeAll(() => {
  inventory = lab.deploy(spec).inventory;
});

describe('pattern 3 behind a bastion, on hosts whose sshd allow no TCP forwarding', () => {
  it('the hosts refuse a tunnel through their SSH connection as a policy; the bastion still carries the connections', async () => {
    const host = (name: string): HostSpec => ({
      name, address: lab.address(name), connection: 'ssh', port: 22, user: 'deploy', sshKey: lab.sshKey, knownHosts: lab.knownHosts,
      become: { method: 'sudo', user: 'root' }, proxyJump: [{ label: 'bastion', address: lab.bastion!, user: 'deploy' }],
      roles: ['gateway'], pos: { file: 't', line: 1, col: 1 },
    });
    const map = await openTransports([host('tm-1'), host('lb-1')], { sshConfig: false, connectAttempts: 1 });
    try {
      for (const name of ['tm-1', 'lb-1']) {
        const t = map.get(name);
        if (!t || t instanceof Error) throw t ?? new Error(`no transport for ${name}`);
        const refusal = await t.openTcp!(lab.address(name), 22).then((s) => { s.destroy(); return undefined; }, (err: unknown) => err);
        expect(refusal, name).toBeInstanceOf(TcpForwardingRefused);
      }
    } finally {
      await closeAll(map);
    }
  }, 120_000);

  it('provisions cold: every health gate (HTTP and TCP, traffic manager, database and balancer included) answers on its node', async () => {
    const run = await provisionCli(inventory);
    expect(run.code, failureSummary(run)).toBe(0);
    const r = await lab.exec('lb-1', ['curl', '-s', '--max-time', '10', 'http://127.0.0.1:8280/echo']);
    expect(echoRelease(r.stdout)).toBe('4.6.0');
  }, 600_000);

  it('a re-run changes nothing, and status is healthy', async () => {
    const run = await provisionCli(inventory);
    expect(run.code, failureSummary(run)).toBe(0);
    expect(changedCount(run.events)).toBe(0);
    const status = await runCli(['status', '-i', inventory]);
    expect(status.code, status.stdout + status.stderr).toBe(0);
  }, 300_000);
});
