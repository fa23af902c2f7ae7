/**
 * Pattern 3 as an enterprise runs it: the hosts sit behind a bastion the controller alone can reach, root may not
 * log in, and `deploy` gets root through sudo with a password. Through the real CLI: a wrong sudo password and a
 * user without sudo stop before any host changes (exit 4, one line per host); then provisioned at 4.6.0, re-run
 * with 0 changed, status healthy, upgraded to 4.6.0 update level 12 and rolled back, each run with one SSH login to the bastion
 * and one per host (counted by the hosts' own sshd logs).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDistributions } from '../../src/lab/dist/build.js';
import { echoRelease } from '../support/release-label.js';
import { currentVersions as versionsOf } from './support/rollout-state.js';
import {
  baseVars, changedCount, failureSummary, makeWorkspace, postgres, provisionCli, runCli, startLab, writeDeployment,
  type DeploymentSpec, type TestLab, type Workspace,
} from './support/index.js';

const HOSTS = ['cp-1', 'cp-2', 'tm-1', 'tm-2', 'gw-1', 'gw-2', 'lb-1', 'db-1'];
const WSO2 = ['cp-1/control-plane', 'cp-2/control-plane', 'tm-1/traffic-manager', 'tm-2/traffic-manager', 'gw-1/gateway', 'gw-2/gateway'];
const spec = (version: string, secrets: Record<string, string> = {}): DeploymentSpec => ({
  name: 'bast', pattern: 3, version, secrets,
  hosts: Object.fromEntries(HOSTS.map((h) => [h, {}])),
  roles: { 'control-plane': ['cp-1', 'cp-2'], 'traffic-manager': ['tm-1', 'tm-2'], gateway: ['gw-1', 'gw-2'], 'load-balancer': ['lb-1'], database: ['db-1'] },
  vars: baseVars(postgres('db-1')),
});

let lab: TestLab | undefined;
let ws: Workspace | undefined;
let inventory: string;

/**
 * SSH logins from the controller's side each host's sshd accepted so far (its log is the host's boot.log: `sshd -e`):
 * through the bastion for the hosts, directly for the bastion. A peer copy's login from one lab host to another
 * (steps/peer-fetch.ts: a one-shot key, forced `cat`) is the hosts' own, not the controller's, and is not counted.
 */
function logins(): Record<string, number> {
  const hostAddresses = new Set(HOSTS.map((h) => lab!.address(h)));
  return Object.fromEntries([...HOSTS, 'bastion'].map((h) => {
    const dir = lab!.state.hosts.find((x) => x.name === h)!.dir;
    const from = [...readFileSync(join(dir, 'boot.log'), 'utf8').matchAll(/Accepted publickey for deploy from (\S+) /g)].map((m) => m[1]!);
    return [h, from.filter((address) => !hostAddresses.has(address)).length];
  }));
}
const since = (before: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(logins()).map(([h, n]) => [h, n - before[h]!]));
const onePerHost = Object.fromEntries([...HOSTS, 'bastion'].map((h) => [h, 1]));

async function untouched(): Promise<void> {
  for (const h of HOSTS) expect((await lab!.exec(h, ['test', '-e', '/opt/wso2'])).code, `${h} has /opt/wso2`).not.toBe(0);
}

/** Each WSO2 node's release, as `4.6.0` or `4.6.0.12` (support/rollout-state.ts). */
async function currentVersions(): Promise<string[]> {
  return Object.values(await versionsOf(lab!, WSO2));
}

/** GET /echo through nginx, from inside the load balancer host (the controller has no route to it). */
async function echoVersion(): Promise<string> {
  const r = await lab!.exec('lb-1', ['curl', '-s', '--max-time', '10', 'http://127.0.0.1:8280/echo']);
  return echoRelease(r.stdout);
}

beforeAll(async () => {
  ws = await makeWorkspace('apim-bastion', { version: '4.6.0' });
  await buildDistributions({ version: '4.6.0', updateLevel: 12, outDir: ws.distDir });
  lab = await startLab({ name: 't-bastion-p3', names: HOSTS, subnet: '10.213.194.0/24', bastionSubnet: '10.213.195.0/24', sudoPassword: true });
  inventory = writeDeployment(spec('4.6.0'), lab, ws).inventory;
}, 180_000);

afterAll(async () => {
  await lab?.down();
  ws?.cleanup();
}, 120_000);

describe('pattern 3 as deploy with sudo, through a bastion', () => {
  it('a wrong sudo password stops every host before any change: exit 4, one line per host', async () => {
    const wrong = writeDeployment({ ...spec('4.6.0', { SUDO_PASSWORD: 'not-the-password' }), name: 'bast-wrong' }, lab!, ws!).inventory;
    const run = await provisionCli(wrong);
    expect(run.code, failureSummary(run)).toBe(4);
    for (const h of HOSTS) expect(run.stderr).toContain(`  ${h}: sudo refused the become_password for deploy (wrong password)\n`);
    expect(run.stderr).toMatch(/nothing was changed/);
    expect(run.stderr).not.toContain('not-the-password');
    await untouched();
  }, 120_000);

  it('a user without sudo on two hosts stops the run before any change, naming those hosts', async () => {
    for (const h of ['tm-1', 'gw-2']) await lab!.sh(h, 'mv /etc/sudoers.d/deploy /root/sudoers.deploy');
    try {
      const run = await provisionCli(inventory);
      expect(run.code, failureSummary(run)).toBe(4);
      const lines = run.stderr.split('\n').filter((l) => /^ {2}\S+: /.test(l));
      expect(lines).toEqual([
        expect.stringMatching(/^ {2}tm-1: deploy may not run commands as root with sudo \(deploy is not in the sudoers file\.?\)$/),
        expect.stringMatching(/^ {2}gw-2: deploy may not run commands as root with sudo \(deploy is not in the sudoers file\.?\)$/),
      ]);
      await untouched();
    } finally {
      for (const h of ['tm-1', 'gw-2']) await lab!.sh(h, 'mv /root/sudoers.deploy /etc/sudoers.d/deploy');
    }
  }, 120_000);

  it('provisions cold with one login to the bastion and one per host; status is healthy through the bastion', async () => {
    const before = logins();
    const run = await provisionCli(inventory);
    expect(run.code, failureSummary(run)).toBe(0);
    expect(since(before)).toEqual(onePerHost);
    expect(await echoVersion()).toBe('4.6.0');
    // Everything under /opt/wso2 belongs to root or the service user: nothing was left as the login user.
    for (const h of ['cp-1', 'gw-1']) expect(await lab!.sh(h, 'find /opt/wso2 -user deploy | wc -l')).toBe('0\n');
    const status = await runCli(['status', '-i', inventory]);
    expect(status.code, status.stdout + status.stderr).toBe(0);
  }, 300_000);

  it('a re-run changes nothing', async () => {
    const before = logins();
    const run = await provisionCli(inventory);
    expect(run.code, failureSummary(run)).toBe(0);
    expect(changedCount(run.events)).toBe(0);
    expect(since(before)).toEqual(onePerHost);
  }, 180_000);

  it('upgrades to 4.6.0 update level 12 node by node (drain, lock and gates through the bastion) and rolls back to 4.6.0', async () => {
    inventory = writeDeployment(spec('4.6.0.12'), lab!, ws!).inventory;
    const before = logins();
    const up = await runCli(['upgrade', '-i', inventory, '--json', '--health-timeout', '60'], { timeoutMs: 600_000 });
    expect(up.code, up.stderr + up.stdout.slice(-4000)).toBe(0);
    expect(since(before)).toEqual(onePerHost);
    expect(await currentVersions()).toEqual(WSO2.map(() => '4.6.0.12'));
    expect(await echoVersion()).toBe('4.6.0.12');
    expect((await lab!.exec('cp-1', ['cat', '/var/log/apim-deploy/audit.log'])).stdout).toMatch(/"command":"upgrade[^"]*".*"outcome":"ok"/);

    const back = await runCli(['rollback', '-i', inventory, '--json', '--health-timeout', '60'], { timeoutMs: 600_000 });
    expect(back.code, back.stderr + back.stdout.slice(-4000)).toBe(0);
    expect(await currentVersions()).toEqual(WSO2.map(() => '4.6.0'));
    expect(await echoVersion()).toBe('4.6.0');
  }, 900_000);
});
