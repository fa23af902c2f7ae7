/**
 * The transport as enterprise VMs need it, over real SSH to lab hosts behind a bastion: deploy + sudo with a
 * password, one connection per jump host carrying every target, an agent-only key, a passphrase key, an ssh_config
 * alias, and the become preflight refusing a wrong password or a user without sudo before anything changes.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransportError } from '../../src/errors.js';
import { defaultProber } from '../../src/health/index.js';
import type { HostSpec } from '../../src/model/inventory.js';
import { Secret } from '../../src/model/secret.js';
import { closeAll, ConnectionCounter, openTransports, type OpenOptions, type TransportMap } from '../../src/transport/open.js';
import { TcpForwardingRefused, type Transport } from '../../src/transport/transport.js';
import { waitFor } from '../support/wait.js';
import { startLab, type TestLab } from './support/index.js';

let lab: TestLab;
const dir = mkdtempSync(join(tmpdir(), 'apim-access-'));
const NAMES = ['app-1', 'app-2', 'app-3'];

function spec(name: string, over: Partial<HostSpec> = {}): HostSpec {
  return {
    name, address: lab.address(name), connection: 'ssh', port: 22, user: 'deploy', sshKey: lab.sshKey, knownHosts: lab.knownHosts,
    become: { method: 'sudo', user: 'root', password: new Secret(lab.sudoPassword!, 'SUDO_PASSWORD') },
    proxyJump: [{ label: 'bastion', address: lab.bastion!, user: 'deploy' }],
    roles: ['gateway'], pos: { file: 't', line: 1, col: 1 }, ...over,
  };
}

async function open(hosts: HostSpec[], opts: OpenOptions = {}): Promise<{ map: TransportMap; counter: ConnectionCounter }> {
  const counter = new ConnectionCounter();
  return { map: await openTransports(hosts, { sshConfig: false, connectAttempts: 1, counter, ...opts }), counter };
}

const ok = (map: TransportMap, host: string): Transport => {
  const t = map.get(host);
  if (!t || t instanceof TransportError) throw t ?? new Error(`no transport for ${host}`);
  return t;
};
const failure = (map: TransportMap, host: string): TransportError => map.get(host) as TransportError;

/** Established SSH connections the bastion's sshd holds from the controller. */
async function bastionSessions(): Promise<number> {
  const out = await lab.sh('bastion', 'ss -Htn state established "( sport = :22 )"');
  return out.split('\n').filter((l) => l.trim() !== '').length;
}

beforeAll(async () => {
  lab = await startLab({ name: 't-access', names: NAMES, subnet: '10.213.192.0/24', bastionSubnet: '10.213.193.0/24', sudoPassword: true });
}, 120_000);

afterAll(async () => {
  await lab?.down();
  rmSync(dir, { recursive: true, force: true });
});

describe('deploy + sudo through a bastion', () => {
  it('opens one connection to the bastion carrying every target, and runs commands as root through sudo', async () => {
    const { map, counter } = await open(NAMES.map((n) => spec(n)));
    try {
      expect(counter.snapshot()).toEqual({ bastion: 1, 'app-1': 1, 'app-2': 1, 'app-3': 1 });
      expect(await bastionSessions()).toBe(1);
      for (const n of NAMES) expect((await ok(map, n).exec({ argv: ['id', '-un'] })).stdout).toBe('root\n');
      // The command's own stdin still arrives, after the password line sudo consumed.
      expect((await ok(map, 'app-1').exec({ argv: ['cat'], stdin: 'line one\n' })).stdout).toBe('line one\n');
    } finally {
      await closeAll(map);
    }
    await expect.poll(bastionSessions, { timeout: 15_000 }).toBe(0);
  });

  it('puts files into root-owned places atomically with owner and mode, reads root-only files exactly', async () => {
    const { map } = await open([spec('app-1')]);
    const t = ok(map, 'app-1');
    try {
      expect((await t.exec({ argv: ['install', '-d', '-m', '0755', '/opt/wso2/conf'] })).exitCode).toBe(0);
      const bytes = Buffer.from([0, 1, 2, 255, 10, 13]);
      await t.put(bytes, '/opt/wso2/conf/secret.bin', { mode: '0600', owner: 'daemon:daemon' });
      await t.put('plain\n', '/etc/apim-test.conf', { mode: '0644' });
      expect(await lab.sh('app-1', 'stat -c "%U:%G %a" /opt/wso2/conf/secret.bin /etc/apim-test.conf')).toBe('daemon:daemon 600\nroot:root 644\n');
      expect(Buffer.from((await t.read('/opt/wso2/conf/secret.bin'))!)).toEqual(bytes);
      expect(await t.read('/opt/wso2/conf/absent')).toBeUndefined();
      expect(await t.stat('/opt/wso2/conf/secret.bin')).toMatchObject({ kind: 'file', mode: '0600', owner: 'daemon' });
      // Nothing is left in the private temp place, and nothing beside the destination.
      expect(await lab.sh('app-1', 'find /home/deploy/.apim-deploy -type f | wc -l')).toBe('0\n');
      expect(await lab.sh('app-1', 'ls -A /opt/wso2/conf')).toBe('secret.bin\n');
      // Health probes reach a port behind the bastion through the node's own session.
      const sock = await t.openTcp!(lab.address('app-1'), 22);
      sock.destroy();
    } finally {
      await closeAll(map);
    }
    expect(await lab.sh('app-1', 'ls -A /home/deploy/.apim-deploy')).toBe('');
  });

  it('stops on a wrong sudo password and on a user without sudo, one line per host, before changing anything', async () => {
    await lab.sh('app-3', 'mv /etc/sudoers.d/deploy /root/sudoers.deploy');
    try {
      const wrong = spec('app-2', { become: { method: 'sudo', user: 'root', password: new Secret('not-the-password', 'SUDO_PASSWORD') } });
      const { map, counter } = await open([spec('app-1', { become: { method: 'sudo', user: 'root' } }), wrong, spec('app-3')]);
      expect(failure(map, 'app-1').message).toBe('app-1: sudo asks deploy for a password and no become_password is set (or deploy may not use sudo at all)');
      expect(failure(map, 'app-2').message).toBe('app-2: sudo refused the become_password for deploy (wrong password)');
      expect(failure(map, 'app-3').message).toMatch(/^app-3: deploy may not run commands as root with sudo \(deploy is not in the sudoers file\.?\)$/);
      for (const n of NAMES) expect(failure(map, n).kind).toBe('become');
      expect(counter.forHost('bastion')).toBe(1);
      await closeAll(map);
      expect(await bastionSessions()).toBe(0);
    } finally {
      await lab.sh('app-3', 'mv /root/sudoers.deploy /etc/sudoers.d/deploy');
    }
  });
});

describe('a host whose sshd allows no TCP forwarding (AllowTcpForwarding no, as CIS hardening asks)', () => {
  it('refuses the tunnel as a policy, not as a closed port, and a check of the host\'s own view then runs on the host', async () => {
    const policy = (from: string, to: string) => lab.sh('app-3', `sed -i 's/^AllowTcpForwarding ${from}$/AllowTcpForwarding ${to}/' /etc/ssh/sshd_config && kill -HUP 1`);
    // Where forwarding is allowed, a closed port is a plain answer, not the policy.
    const before = await open([spec('app-3')]);
    try {
      const closed = await ok(before.map, 'app-3').openTcp!(lab.address('app-3'), 1).catch((err: unknown) => err);
      expect(closed).toBeInstanceOf(Error);
      expect(closed).not.toBeInstanceOf(TcpForwardingRefused);
    } finally {
      await closeAll(before.map);
    }
    await policy('yes', 'no');
    try {
      // sshd re-reads its config by re-executing itself: a connection opened after that gets the new policy.
      let refusal: unknown;
      await waitFor('app-3\'s sshd to refuse forwarding', async () => {
        const { map } = await open([spec('app-3')]);
        try {
          const t = map.get('app-3');
          if (!t || t instanceof TransportError) return false;
          refusal = await t.openTcp!(lab.address('app-3'), 22).then((sock) => { sock.destroy(); return undefined; }, (err: unknown) => err);
          return refusal !== undefined;
        } finally {
          await closeAll(map);
        }
      });
      expect(refusal).toBeInstanceOf(TcpForwardingRefused);
      expect((refusal as Error).message).toMatch(/^app-3: sshd allows no TCP forwarding \(administratively prohibited: .*\)$/);
      const { map } = await open([spec('app-3')]);
      try {
        const t = ok(map, 'app-3');
        const check = { kind: 'tcp' as const, host: lab.address('app-3'), port: 22, from: 'host' as const };
        // Twice: the second check goes straight to the host, the refusal remembered for the connection.
        for (let i = 0; i < 2; i++) {
          expect(await defaultProber.probe(check, { transport: t, timeoutMs: 30_000 })).toEqual({ check, healthy: true, detail: `port ${lab.address('app-3')}:22 (from host) open` });
        }
      } finally {
        await closeAll(map);
      }
    } finally {
      await policy('no', 'yes');
    }
  });
});

describe('keys as people have them', () => {
  let agent: ChildProcess | undefined;

  afterAll(() => {
    agent?.kill();
  });

  it('logs in with a key held only by ssh-agent, and says what it tried when the agent has none', async () => {
    const sock = join(dir, 'agent.sock');
    agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    await expect.poll(() => existsSync(sock), { timeout: 10_000 }).toBe(true);
    const saved = process.env['SSH_AUTH_SOCK'];
    process.env['SSH_AUTH_SOCK'] = sock;
    try {
      const agentOnly = spec('app-1', { sshKey: undefined, proxyJump: [{ label: 'bastion', address: lab.bastion!, user: 'deploy', sshKey: lab.sshKey }] });
      const empty = await open([agentOnly]);
      expect(failure(empty.map, 'app-1').kind).toBe('auth');
      expect(failure(empty.map, 'app-1').message).toContain(`tried the keys in ssh-agent (${sock})`);
      await closeAll(empty.map);
      execFileSync('ssh-add', ['-q', lab.sshKey], { env: { ...process.env, SSH_AUTH_SOCK: sock } });
      const { map } = await open([agentOnly]);
      expect((await ok(map, 'app-1').exec({ argv: ['whoami'] })).stdout).toBe('root\n');
      await closeAll(map);
    } finally {
      if (saved === undefined) delete process.env['SSH_AUTH_SOCK'];
      else process.env['SSH_AUTH_SOCK'] = saved;
    }
  });

  it('unlocks a passphrase-protected key from the secrets value or one prompt, and names a missing or wrong passphrase', async () => {
    const key = join(dir, 'id_protected');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'open sesame', '-f', key]);
    const pub = readFileSync(`${key}.pub`, 'utf8');
    for (const n of ['app-1', 'app-2']) await lab.sh(n, `echo '${pub.trim()}' >> /home/deploy/.ssh/authorized_keys`);
    const saved = process.env['SSH_AUTH_SOCK'];
    delete process.env['SSH_AUTH_SOCK'];
    try {
      const host = (n: string, over: Partial<HostSpec> = {}) => spec(n, { sshKey: key, proxyJump: [{ label: 'bastion', address: lab.bastion!, user: 'deploy', sshKey: lab.sshKey }], ...over });
      const none = await open([host('app-1')]);
      expect(failure(none.map, 'app-1').message).toMatch(/id_protected is passphrase-protected and no passphrase was given/);
      const wrong = await open([host('app-1', { sshKeyPassphrase: new Secret('nope', 't') })]);
      expect(failure(wrong.map, 'app-1').message).toMatch(/wrong passphrase for .*id_protected/);
      const right = await open([host('app-1', { sshKeyPassphrase: new Secret('open sesame', 't') })]);
      expect((await ok(right.map, 'app-1').exec({ argv: ['true'] })).exitCode).toBe(0);
      const asked: string[] = [];
      const prompted = await open([host('app-1'), host('app-2')], { askPassphrase: async (file) => { asked.push(file); return 'open sesame'; } });
      expect(asked).toEqual([key]);
      for (const n of ['app-1', 'app-2']) expect((await ok(prompted.map, n).exec({ argv: ['true'] })).exitCode).toBe(0);
      await Promise.all([none, wrong, right, prompted].map((o) => closeAll(o.map)));
    } finally {
      if (saved !== undefined) process.env['SSH_AUTH_SOCK'] = saved;
    }
  });

  it('resolves an alias, its user, key, known_hosts and jump host from an ssh_config file', async () => {
    const config = join(dir, 'ssh_config');
    writeFileSync(config, [
      'Host bastion-front', `  HostName ${lab.bastion}`, '  User deploy',
      'Host app-one', `  HostName ${lab.address('app-1')}`, '  ProxyJump bastion-front',
      'Host *', '  User deploy', `  IdentityFile ${lab.sshKey}`, `  UserKnownHostsFile ${lab.knownHosts}`, '',
    ].join('\n'));
    const alias = spec('app-1', { address: 'app-one', user: undefined, port: undefined, sshKey: undefined, knownHosts: undefined, proxyJump: undefined });
    const { map, counter } = await open([alias], { sshConfig: config });
    expect(counter.snapshot()).toEqual({ 'bastion-front': 1, 'app-1': 1 });
    expect(await lab.sh('app-1', 'hostname')).toBe('app-1\n');
    expect((await ok(map, 'app-1').exec({ argv: ['sh', '-c', 'echo $SUDO_USER'] })).stdout).toBe('deploy\n');
    await closeAll(map);
  });
});
