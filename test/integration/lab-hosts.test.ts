import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './support/index.js';
import {
  bridgeName, clientKeyPath, hostDir, knownHostsPath, labDown, labExec, labStatus, labUp, sshConfigPath, stateDir,
  type LabState,
} from '../../src/lab/hosts/index.js';

// Its own lab name and subnet: a user's demo lab (`lab`, 10.213.7.0/24) is never touched.
const LAB = { name: 't-hosts' } as const;
const SUBNET = '10.213.201.0/24';
const NAMES = ['host-1', 'host-2', 'host-3'];

interface Result { code: number; stdout: string; stderr: string }

function exec(file: string, args: string[], timeout = 30_000): Promise<Result> {
  return new Promise((resolve) => {
    execFile(file, args, { encoding: 'utf8', timeout }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }));
  });
}

/** ssh exactly as an operator would: the lab key, the lab known_hosts, strict checking, as the login user. */
function ssh(target: string, command: string, extra: string[] = [], user = 'deploy'): Promise<Result> {
  return exec('ssh', [
    '-i', clientKeyPath(LAB), '-o', `UserKnownHostsFile=${knownHostsPath(LAB)}`, '-o', 'StrictHostKeyChecking=yes',
    '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', ...extra, `${user}@${target}`, command,
  ]);
}

function address(state: LabState, host: string): string {
  return state.hosts.find((h) => h.name === host)!.address;
}

/** Opens a TCP connection and returns what the server says first. */
function tcpRead(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    let data = '';
    socket.setTimeout(5000, () => reject(new Error(`timeout reading ${host}:${port}`)));
    socket.on('data', (c) => (data += c.toString()));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
  });
}

async function linkNames(): Promise<string[]> {
  const out = await exec('ip', ['-j', 'link', 'show']);
  return (JSON.parse(out.stdout) as { ifname: string }[]).map((l) => l.ifname);
}

let state: LabState;

beforeAll(async () => {
  await labDown(LAB); // a previous run that crashed leaves its state: start clean
  state = await labUp({ ...LAB, names: NAMES, subnet: SUBNET });
});

afterAll(async () => {
  await labDown(LAB);
});

describe('lab hosts', () => {
  it('refuses root over SSH, as an enterprise VM does, even with the authorized lab key', async () => {
    const root = await ssh(address(state, 'host-1'), 'true', [], 'root');
    expect(root.code).toBe(255);
    expect(root.stderr).toMatch(/Permission denied \(publickey\)/);
    // The key is the same one deploy logs in with: the refusal is sshd's PermitRootLogin no.
    expect((await ssh(address(state, 'host-1'), 'true')).code).toBe(0);
    expect((await labExec(state, 'host-1', ['sshd', '-T', '-f', '/etc/ssh/sshd_config', '-C', 'user=root,host=x,addr=10.0.0.1'])).stdout)
      .toMatch(/^permitrootlogin no$/m);
  });

  it('lets deploy in and gives it root through password-less sudo', async () => {
    const who = await ssh(address(state, 'host-2'), 'id -un; sudo -n id -un; stat -c %U:%a ~ ~/.ssh');
    expect(who).toMatchObject({ code: 0, stdout: 'deploy\nroot\ndeploy:750\ndeploy:700\n' });
    expect(readFileSync('/etc/passwd', 'utf8')).not.toMatch(/^deploy:/m);
  });

  it('lets deploy in over SSH with the lab key under strict host key checking, by address and by name', async () => {
    for (const host of NAMES) {
      const byAddress = await ssh(address(state, host), 'hostname');
      expect(byAddress).toMatchObject({ code: 0, stdout: `${host}\n` });
      // known_hosts names the host: the name is what ssh checks the key against here.
      const byName = await ssh(address(state, host), 'hostname', ['-o', `HostKeyAlias=${host}`]);
      expect(byName).toMatchObject({ code: 0, stdout: `${host}\n` });
      const viaConfig = await exec('ssh', ['-F', sshConfigPath(LAB), '-o', 'BatchMode=yes', host, 'hostname']);
      expect(viaConfig).toMatchObject({ code: 0, stdout: `${host}\n` });
    }
    const status = await labStatus(LAB);
    expect(status.hosts.map((h) => [h.name, h.alive, h.sshReachable])).toEqual(NAMES.map((n) => [n, true, true]));
  });

  it('gives each host its own /opt', async () => {
    expect((await ssh(address(state, 'host-1'), 'sudo mkdir -p /opt/wso2 && echo one | sudo tee /opt/wso2/marker >/dev/null')).code).toBe(0);
    expect((await labExec(state, 'host-1', ['cat', '/opt/wso2/marker'])).stdout).toBe('one\n');
    for (const other of ['host-2', 'host-3']) {
      expect((await labExec(state, other, ['test', '-e', '/opt/wso2/marker'])).code).toBe(1);
    }
    expect(existsSync('/opt/wso2/marker')).toBe(false);
  });

  it('names every lab host in each host\'s /etc/hosts', async () => {
    for (const host of NAMES) {
      const hosts = (await labExec(state, host, ['cat', '/etc/hosts'])).stdout;
      for (const h of state.hosts) expect(hosts).toMatch(new RegExp(`^${h.address.replace(/\./g, '\\.')}\\s+${h.name}$`, 'm'));
    }
    // Name resolution works between hosts.
    expect((await ssh(address(state, 'host-1'), 'getent hosts host-3')).stdout).toContain(address(state, 'host-3'));
  });

  it('lets two hosts listen on 9443 at once', async () => {
    const server = "require('net').createServer((s) => s.end(require('os').hostname() + '\\n')).listen(9443)";
    for (const host of ['host-1', 'host-2']) {
      const start = await ssh(address(state, host), `setsid node -e "${server}" >/tmp/srv.log 2>&1 </dev/null &`);
      expect(start.code).toBe(0);
    }
    for (const host of ['host-1', 'host-2']) {
      let answer = '';
      await waitFor(`${host} to answer on 9443`, async () => (answer = await tcpRead(address(state, host), 9443).catch(() => '')) !== '');
      expect(answer).toBe(`${host}\n`);
    }
  });

  it('keeps users private to a host (own /etc)', async () => {
    expect((await ssh(address(state, 'host-1'), 'sudo useradd --system labtestuser && id -u labtestuser')).code).toBe(0);
    expect((await labExec(state, 'host-2', ['id', 'labtestuser'])).code).not.toBe(0);
    expect(readFileSync('/etc/passwd', 'utf8')).not.toContain('labtestuser');
  });

  it('runs its own nginx and PostgreSQL 15 on two hosts at once', async () => {
    for (const host of ['host-2', 'host-3']) {
      const conf = '/etc/postgresql/15/main';
      const setup = [
        `echo "listen_addresses = '*'" > ${conf}/conf.d/lab.conf`,
        `echo "host all all ${SUBNET} scram-sha-256" >> ${conf}/pg_hba.conf`,
        'pg_ctlcluster 15 main start',
        `cd / && su postgres -c "psql -qc \\"ALTER USER postgres PASSWORD 'lab-${host}'\\""`,
        'nginx',
      ].join(' && ');
      const result = await ssh(address(state, host), `sudo sh -c '${setup.replace(/'/g, "'\\''")}'`);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
    for (const host of ['host-2', 'host-3']) {
      const client = new pg.Client({ host: address(state, host), user: 'postgres', password: `lab-${host}`, database: 'postgres' });
      await client.connect();
      const row = await client.query('select host(inet_server_addr()) as addr');
      await client.end();
      expect(row.rows[0].addr).toBe(address(state, host));
      const page = await fetch(`http://${address(state, host)}/`);
      expect(page.status).toBe(200);
    }
    // host-1 runs neither: its ports stay closed although its neighbours listen.
    expect(await tcpRead(address(state, 'host-1'), 5432).catch((e: Error) => e.message)).toMatch(/ECONNREFUSED/);
  }, 60_000);

  it('keeps healthy hosts when lab up runs again', async () => {
    const again = await labUp({ ...LAB, names: NAMES, subnet: SUBNET });
    expect(again.hosts.map((h) => h.sshd?.pid)).toEqual(state.hosts.map((h) => h.sshd?.pid));
    state = again;
  });

  it('revives a host whose sshd was killed, with its disk kept', async () => {
    const victim = state.hosts.find((h) => h.name === 'host-1')!;
    process.kill(victim.sshd!.pid, 'SIGKILL');
    state = await labUp({ ...LAB, names: NAMES, subnet: SUBNET });
    const revived = state.hosts.find((h) => h.name === 'host-1')!;
    expect(revived.sshd?.pid).not.toBe(victim.sshd?.pid);
    expect(await ssh(revived.address, 'hostname; cat /opt/wso2/marker; ls /tmp')).toMatchObject({ code: 0, stdout: 'host-1\none\n' });
    // The killed host's server died with it.
    expect(await tcpRead(revived.address, 9443).catch((e: Error) => e.message)).toMatch(/ECONNREFUSED/);
  });

  it('removes the extra host when lab up asks for fewer', async () => {
    const host3 = state.hosts.find((h) => h.name === 'host-3')!;
    state = await labUp({ ...LAB, names: NAMES.slice(0, 2), subnet: SUBNET });
    expect(state.hosts.map((h) => h.name)).toEqual(['host-1', 'host-2']);
    expect(existsSync(`/proc/${host3.sshd!.pid}/stat`) && !readFileSync(`/proc/${host3.sshd!.pid}/stat`, 'utf8').includes(') Z'))
      .toBe(false);
    expect(await linkNames()).not.toContain(host3.veth);
    expect(existsSync(hostDir(LAB, 'host-3'))).toBe(false);
    expect(readFileSync(knownHostsPath(LAB), 'utf8')).not.toContain('host-3');
    expect((await labExec(state, 'host-1', ['cat', '/etc/hosts'])).stdout).not.toContain('host-3');
  });

  it('lab down leaves no bridge, veth, mount or process behind', async () => {
    const recorded = state.hosts.flatMap((h) => [h.unshare.pid, h.sshd!.pid]);
    const veths = state.hosts.map((h) => h.veth);
    const dir = stateDir(LAB);
    await labDown(LAB);
    const links = await linkNames();
    expect(links).not.toContain(bridgeName(LAB.name));
    for (const veth of veths) expect(links).not.toContain(veth);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(dir);
    for (const pid of recorded) {
      const stat = existsSync(`/proc/${pid}/stat`) ? readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
      expect(stat === '' || /\) Z /.test(stat)).toBe(true); // gone, or a zombie its parent has yet to reap
    }
    expect(existsSync(join(dir, 'state.json'))).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });

  it('cleans a lab left behind by a crash', async () => {
    state = await labUp({ ...LAB, hosts: 2, subnet: SUBNET });
    // A crash: the controller dies and the hosts die with no `lab down`; only the state file remains.
    for (const h of state.hosts) process.kill(h.sshd!.pid, 'SIGKILL');
    const again = await labUp({ ...LAB, hosts: 2, subnet: SUBNET });
    expect(again.hosts.every((h, i) => h.sshd!.pid !== state.hosts[i]!.sshd!.pid)).toBe(true);
    expect((await labStatus(LAB)).hosts.every((h) => h.alive && h.sshReachable)).toBe(true);
    await labDown(LAB);
    expect(await linkNames()).not.toContain(bridgeName(LAB.name));
  });

  it('refuses to run without root, saying why', async () => {
    const cli = join(process.cwd(), 'bin', 'apim-deploy');
    const result = await exec('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', cli, 'lab', 'up', '--hosts', '1', '--name', 't-hosts']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: lab hosts need root on Linux: .*namespaces/m);
  });
});
