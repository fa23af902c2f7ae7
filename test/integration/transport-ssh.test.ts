/**
 * The SSH transport against a real, throwaway sshd on 127.0.0.1 (no lab hosts needed).
 * Root logs in by key with `UsePAM no` because root's /etc/shadow password field here is `*` (a `!` would refuse).
 * sshd runs in a mount namespace of its own with an empty directory over /root: every command runs through root's
 * login shell, and Debian's bash sources ~/.bashrc for sshd sessions; this machine's (pyenv init) takes seconds per
 * session, which made 40 commands outlast any timeout. The tests control that .bashrc instead.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from './support/index.js';
import { TransportError } from '../../src/errors.js';
import type { HostSpec } from '../../src/model/inventory.js';
import { Secret } from '../../src/model/secret.js';
import { probeHost } from '../../src/facts/index.js';
import { closeAll, ConnectionCounter, openTransports } from '../../src/transport/open.js';
import { connectSsh, type SshTransport } from '../../src/transport/ssh.js';

const dir = mkdtempSync(join(tmpdir(), 'apim-sshd-'));
let sshd: ChildProcess;
let port: number;
let t: SshTransport;
/** The "remote" side's directory (sshd runs on this machine). */
const work = join(dir, 'remote');
/** Mounted over /root for sshd and its sessions: root's home, with the .bashrc a test writes. */
const rootHome = join(dir, 'root-home');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

function keygen(path: string, type = 'ed25519'): string {
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-f', path]);
  return readFileSync(`${path}.pub`, 'utf8');
}

/** `host key-type base64` for the server key, as ssh-keyscan would print it. */
function serverKeyLine(names: string): string {
  const [type, b64] = readFileSync(join(dir, 'host_ed25519.pub'), 'utf8').trim().split(/\s+/);
  return `${names} ${type} ${b64}\n`;
}

function host(over: Partial<HostSpec> = {}): HostSpec {
  return {
    name: 'gw-1', address: '127.0.0.1', connection: 'ssh', port, user: 'root', sshKey: join(dir, 'client'),
    knownHosts: join(dir, 'known_hosts'), roles: ['gateway'],
    pos: { file: 'test', line: 1, col: 1 }, ...over,
  };
}

/** True once something listens on 127.0.0.1:p (binding it fails). */
function listening(p: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(true));
    s.listen(p, '127.0.0.1', () => s.close(() => resolve(false)));
  });
}

beforeAll(async () => {
  mkdirSync(work);
  mkdirSync(rootHome, { mode: 0o700 });
  port = await freePort();
  keygen(join(dir, 'host_ed25519'));
  writeFileSync(join(dir, 'authorized_keys'), keygen(join(dir, 'client')), { mode: 0o600 });
  writeFileSync(join(dir, 'known_hosts'), serverKeyLine(`[127.0.0.1]:${port}`));
  writeFileSync(join(dir, 'sshd_config'), [
    `Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${join(dir, 'host_ed25519')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`, 'UsePAM no', 'PermitRootLogin prohibit-password',
    'PasswordAuthentication no', 'StrictModes no', `PidFile ${join(dir, 'sshd.pid')}`,
    'Subsystem sftp internal-sftp', 'MaxStartups 100:30:200', 'LogLevel ERROR', '',
  ].join('\n'));
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  // unshare and sh exec: the PID is sshd's.
  sshd = spawn('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', 'mount --bind "$1" /root && exec /usr/sbin/sshd -D -e -f "$2"',
    'sshd', rootHome, join(dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  sshd.stderr?.on('data', () => undefined);
  await waitFor(`sshd to listen on ${port}`, () => listening(port));
  t = await connectSsh(host());
});

afterAll(async () => {
  await t?.close();
  sshd?.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
});

describe('exec', () => {
  it('returns exit codes, exact stdout and stderr, and never throws for a failing command', async () => {
    const r = await t.exec({ argv: ['sh', '-c', 'printf "out\\n\\n"; printf "err  " >&2; exit 3'] });
    expect(r).toMatchObject({ exitCode: 3, signal: null, stdout: 'out\n\n', stderr: 'err  ' });
    expect(r.durationMs).toBeGreaterThan(0);
    expect((await t.exec({ argv: ['true'] })).exitCode).toBe(0);
    expect((await t.exec({ argv: ['/nonexistent/cmd'] })).exitCode).toBe(127);
  });

  it('round-trips nasty arguments through the remote shell', async () => {
    const argv = ['a b', "it's", '$(id)', '`id`', '*', '', '-rf', 'l1\nl2\n', 'ünï ✓', '\\'];
    const r = await t.exec({ argv: ['printf', '%s\\0', ...argv] });
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(argv);
  });

  it('applies cwd, env (secrets too) and stdin', async () => {
    const r = await t.exec({
      argv: ['sh', '-c', 'pwd; printf "%s|" "$A" "$PW"; cat'], cwd: work,
      env: { A: "x 'y'", PW: new Secret('s3cret', 'test') }, stdin: 'from stdin\n',
    });
    expect(r.stdout).toBe(`${work}\nx 'y'|s3cret|from stdin\n`);
  });

  // A command that outlives every wait below, so only a kill ends it in time; tagged with a random marker.
  const longCommand = (marker: string) => ['sh', '-c', `sleep 600; echo ${marker}`, marker];
  /** Sessions (sshd made each command's shell a session leader) in which the long command still runs. */
  const left = async (marker: string) =>
    (await t.exec({ argv: ['sh', '-c', 'ps -eo sid=,args= | grep -F -- "sh -c sleep 600; echo $0" | grep -v grep | awk \'{print $1}\'', marker] }))
      .stdout.split('\n').filter(Boolean);
  /** Whatever a failed kill left behind, so the host is clean after the test either way. */
  const cleanUp = async (marker: string) => {
    for (const sid of await left(marker)) await t.exec({ argv: ['kill', '-s', 'KILL', '--', `-${sid}`] });
  };

  it('kills a command on timeout and reports a timeout error naming the host', async () => {
    const marker = `apim-timeout-${randomBytes(4).toString('hex')}`;
    try {
      const err = await t.exec({ argv: longCommand(marker), timeoutMs: 300 }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(TransportError);
      expect((err as TransportError).kind).toBe('timeout');
      expect((err as TransportError).message).toMatch(/^gw-1: command timed out/);
      await waitFor('the timed-out command to be killed', async () => (await left(marker)).length === 0); // its process group got KILL
      expect(await left(marker)).toEqual([]);
    } finally {
      await cleanUp(marker);
    }
  });

  it.each([
    ['prints to stderr before the PID line', 'echo "hello from .bashrc" >&2\n', 1000],
    ['is still starting when the timeout passes (the kill waits for the PID)', 'sleep 1\n', 200],
  ])('kills a timed-out command whose login shell %s', async (_what, bashrc, timeoutMs) => {
    const marker = `apim-bashrc-${randomBytes(4).toString('hex')}`;
    writeFileSync(join(rootHome, '.bashrc'), bashrc); // the start-up file sshd's bash sources, as on real hosts
    try {
      const err = await t.exec({ argv: longCommand(marker), timeoutMs }).catch((e: unknown) => e);
      expect((err as TransportError).kind).toBe('timeout');
      rmSync(join(rootHome, '.bashrc'));
      await waitFor('the command to be killed', async () => (await left(marker)).length === 0);
      expect(await left(marker)).toEqual([]);
    } finally {
      rmSync(join(rootHome, '.bashrc'), { force: true });
      await cleanUp(marker);
    }
  });

  it('stops on an AbortSignal', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    await expect(t.exec({ argv: ['sleep', '30'] }, ac.signal)).rejects.toThrow(/abort/i);
  });

  it('runs 40 parallel commands on one connection (bounded channels)', async () => {
    const rs = await Promise.all(Array.from({ length: 40 }, (_, i) => t.exec({ argv: ['sh', '-c', 'sleep 0.05; echo $0', String(i)] })));
    expect(rs.map((r) => r.stdout)).toEqual(Array.from({ length: 40 }, (_, i) => `${i}\n`));
  });
});

describe('files', () => {
  it('put writes atomically beside the destination with mode and owner, and read returns exact bytes', async () => {
    const dest = join(work, 'deployment.toml');
    await t.put('a = 1\n\n\n', dest, { mode: '0640', owner: 'nobody' });
    expect(Buffer.from((await t.read(dest))!).toString()).toBe('a = 1\n\n\n');
    expect(await t.stat(dest)).toEqual({ kind: 'file', mode: '0640', owner: 'nobody', size: 8 });
    await t.put(new Uint8Array([0, 255, 10]), dest, { mode: '0600' });
    expect([...(await t.read(dest))!]).toEqual([0, 255, 10]);
    expect(readdirSync(work).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('put fails with a TransportError when the directory is missing, leaving nothing behind', async () => {
    const err = await t.put('x', join(work, 'no/such/dir/f'), { mode: '0644' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as Error).message).toMatch(/^gw-1: cannot write/);
  });

  it('putFile streams a 30 MB file fast and intact', async () => {
    const local = join(dir, 'dist.zip');
    const data = randomBytes(30 * 1024 * 1024);
    writeFileSync(local, data);
    const dest = join(work, 'wso2am.zip');
    const started = performance.now();
    await t.putFile(local, dest, { mode: '0644' });
    const secs = (performance.now() - started) / 1000;
    console.log(`putFile 30 MB: ${(30 / secs).toFixed(1)} MB/s (${secs.toFixed(2)} s)`);
    const sum = await t.exec({ argv: ['sha256sum', dest] });
    expect(sum.stdout.split(' ')[0]).toBe(createHash('sha256').update(data).digest('hex'));
    expect(statSync(dest).mode & 0o7777).toBe(0o644);
  });

  it('read of an absent file is undefined; stat of file, dir, symlink and absent', async () => {
    expect(await t.read(join(work, 'absent'))).toBeUndefined();
    await t.exec({ argv: ['ln', '-sfn', 'deployment.toml', join(work, 'current')] });
    expect(await t.stat(join(work, 'current'))).toMatchObject({ kind: 'symlink', owner: 'root' });
    expect(await t.stat(work)).toMatchObject({ kind: 'dir', owner: 'root' });
    expect(await t.stat(join(work, 'absent'))).toBeUndefined();
  });
});

describe('facts over SSH', () => {
  it('probeHost gathers every fact in one command; figures: latency per command', async () => {
    const facts = await probeHost(t, { files: [join(work, 'wso2am.zip')], markers: [work], diskPath: '/opt/wso2/not-yet' });
    expect(facts.files[join(work, 'wso2am.zip')]).toMatch(/^[0-9a-f]{64}$/);
    expect(facts.markers[work]).toBe(true);
    expect(facts.os?.id).toBe('debian');
    expect(facts.disk?.freeBytes).toBeGreaterThan(0);
    expect(facts.listening.some((s) => s.port === port && s.processes.includes('sshd'))).toBe(true);
    const started = performance.now();
    for (let i = 0; i < 10; i++) await t.exec({ argv: ['true'] });
    console.log(`exec over the open connection: ${((performance.now() - started) / 10).toFixed(0)} ms per command`);
  });
});

describe('host keys', () => {
  const kh = (name: string) => join(dir, name);

  it('refuses an unknown host key with the message, and accept-new appends it', async () => {
    writeFileSync(kh('kh-empty'), '');
    const err = await connectSsh(host({ knownHosts: kh('kh-empty'), address: '127.0.0.1' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).kind).toBe('host-key');
    expect((err as Error).message).toBe(
      `gw-1: host key for gw-1 (127.0.0.1) is not in ${kh('kh-empty')}; verify it and add it with ssh-keyscan, or re-run with --accept-new-host-keys`);
    const trusted = await connectSsh(host({ knownHosts: kh('kh-empty') }), { acceptNewHostKeys: true });
    await trusted.close();
    // Filed under the address and port dialled, never under the inventory's name (issue 16, item 9).
    expect(readFileSync(kh('kh-empty'), 'utf8')).toBe(serverKeyLine(`[127.0.0.1]:${port}`));
    const again = await connectSsh(host({ knownHosts: kh('kh-empty') }));
    await again.close();
  });

  it('refuses a changed key loudly, even with accept-new', async () => {
    const other = keygen(kh('other')).trim().split(/\s+/);
    writeFileSync(kh('kh-changed'), `[127.0.0.1]:${port} ${other[0]} ${other[1]}\n`);
    for (const acceptNewHostKeys of [false, true]) {
      const err = await connectSsh(host({ knownHosts: kh('kh-changed') }), { acceptNewHostKeys }).catch((e: unknown) => e);
      expect((err as TransportError).kind).toBe('host-key');
      expect((err as Error).message).toMatch(/DIFFERENT.*man-in-the-middle/);
    }
  });

  it('accepts a hashed entry (ssh-keygen -H)', async () => {
    writeFileSync(kh('kh-hashed'), serverKeyLine(`[127.0.0.1]:${port}`));
    execFileSync('ssh-keygen', ['-H', '-f', kh('kh-hashed')], { stdio: 'ignore' });
    expect(readFileSync(kh('kh-hashed'), 'utf8')).toMatch(/^\|1\|/);
    const c = await connectSsh(host({ knownHosts: kh('kh-hashed') }));
    await c.close();
  });
});

describe('openTransports', () => {
  it('opens one connection per host, reports an unreachable host without failing the others', async () => {
    const counter = new ConnectionCounter();
    const dead = await freePort();
    const map = await openTransports(
      [host({ name: 'gw-1' }), host({ name: 'gw-2' }), host({ name: 'gw-down', port: dead }), host({ name: 'me', connection: 'local' })],
      { counter, connectAttempts: 2, retryDelayMs: [50, 100] },
    );
    try {
      const down = map.get('gw-down');
      expect(down).toBeInstanceOf(TransportError);
      expect((down as TransportError).kind).toBe('unreachable');
      expect((down as Error).message).toMatch(/^gw-down: cannot connect to root@127.0.0.1:\d+: ECONNREFUSED/);
      for (const name of ['gw-1', 'gw-2', 'me']) {
        const tr = map.get(name);
        if (tr instanceof TransportError || tr === undefined) throw new Error(`${name} did not open`);
        for (let i = 0; i < 5; i++) expect((await tr.exec({ argv: ['echo', name] })).stdout).toBe(`${name}\n`);
      }
      expect(counter.snapshot()).toEqual({ 'gw-1': 1, 'gw-2': 1 });
    } finally {
      await closeAll(map);
    }
  });

  it('reports an authentication failure as auth', async () => {
    const wrong = join(dir, 'wrong');
    keygen(wrong);
    const err = await connectSsh(host({ sshKey: wrong })).catch((e: unknown) => e);
    expect((err as TransportError).kind).toBe('auth');
  });
});
