/**
 * `lab up --bastion --sudo-password`: hosts the controller cannot reach except through the bastion, a login user whose
 * sudo asks for the password written to the lab's secrets fragment.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bridgeName, hostsYamlPath, innerBridgeName, labDown, labExec, labStatus, labUp, secretsPath, sshConfigPath, type LabState,
} from '../../src/lab/hosts/index.js';

const LAB = { name: 't-bastion' } as const;
const SUBNET = '10.213.190.0/24';
const FRONT = '10.213.191.0/24';
const NAMES = ['app-1', 'app-2'];

interface Result { code: number; stdout: string; stderr: string }

function exec(file: string, args: string[], input?: string): Promise<Result> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }));
    child.stdin?.on('error', () => undefined); // a program that reads no input closes the pipe
    child.stdin?.end(input ?? '');
  });
}

const ssh = (host: string, command: string, input?: string) =>
  exec('ssh', ['-F', sshConfigPath(LAB), '-o', 'BatchMode=yes', host, command], input);

/** How a TCP connect from the controller ends: 'open' or the error code. */
function connectFromController(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host, port });
    s.setTimeout(5000, () => { s.destroy(); resolve('timeout'); });
    s.on('connect', () => { s.destroy(); resolve('open'); });
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

let state: LabState;
const addr = (h: string) => state.hosts.find((x) => x.name === h)!.address;

beforeAll(async () => {
  await labDown(LAB);
  state = await labUp({ ...LAB, names: NAMES, subnet: SUBNET, bastion: true, bastionSubnet: FRONT, sudoPassword: true });
});

afterAll(async () => {
  await labDown(LAB);
});

describe('lab hosts behind a bastion', () => {
  it('keeps the controller out: no route to the hosts, only the bastion answers', async () => {
    expect(addr('bastion')).toBe('10.213.191.11');
    expect(await connectFromController(addr('app-1'), 22)).toBe('EHOSTUNREACH');
    expect(await connectFromController(addr('bastion'), 22)).toBe('open');
    // The bastion has a leg on both networks and does not route between them.
    const links = (await labExec(state, 'bastion', ['ip', '-4', '-o', 'addr', 'show'])).stdout;
    expect(links).toMatch(/eth0\s+inet 10\.213\.191\.11\/24/);
    expect(links).toMatch(/eth1\s+inet 10\.213\.190\.2\/24/);
    expect((await labExec(state, 'bastion', ['cat', '/proc/sys/net/ipv4/ip_forward'])).stdout.trim()).toBe('0');
  });

  it('lets deploy in through the bastion with the lab ssh_config; sudo wants the password from secrets.env', async () => {
    expect(await ssh('app-1', 'id -un; hostname')).toMatchObject({ code: 0, stdout: 'deploy\napp-1\n' });
    const noPassword = await ssh('app-1', 'sudo -n true');
    expect(noPassword.code).toBe(1);
    expect(noPassword.stderr).toMatch(/a password is required/);
    const password = /^SUDO_PASSWORD=(.+)$/m.exec(readFileSync(secretsPath(LAB), 'utf8'))![1]!;
    expect(await ssh('app-2', 'sudo -S -k -p "" id -un', `${password}\n`)).toMatchObject({ code: 0, stdout: 'root\n' });
    expect((await ssh('app-2', 'sudo -S -k -p "" id -un', 'not-it\n')).code).toBe(1);
    // The shadow entry holds a hash, never the password.
    expect((await labExec(state, 'app-1', ['getent', 'shadow', 'deploy'])).stdout).toMatch(/^deploy:\$6\$/);
  });

  it('writes an inventory fragment with become and proxy_jump', () => {
    const yaml = readFileSync(hostsYamlPath(LAB), 'utf8');
    expect(yaml).toContain('    user: deploy\n');
    expect(yaml).toContain('    become: sudo\n    become_password: ${SUDO_PASSWORD}\n    proxy_jump: deploy@10.213.191.11:22\n');
    expect(yaml).not.toContain('bastion:');
  });

  it('reports every host reachable in lab status, through the bastion', async () => {
    const status = await labStatus(LAB);
    expect(status.hosts.map((h) => [h.name, h.sshReachable])).toEqual([['app-1', true], ['app-2', true], ['bastion', true]]);
  });

  it('lab down removes both bridges, the route and the secrets fragment', async () => {
    await labDown(LAB);
    const links = (await exec('ip', ['-o', 'link', 'show'])).stdout;
    expect(links).not.toContain(bridgeName(LAB.name));
    expect(links).not.toContain(innerBridgeName(LAB.name));
    expect((await exec('ip', ['route', 'show', 'type', 'unreachable', SUBNET])).stdout.trim()).toBe('');
    expect(existsSync(secretsPath(LAB))).toBe(false);
  });
});
