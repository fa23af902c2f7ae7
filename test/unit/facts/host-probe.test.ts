import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hostProbeArgv, javaVersion, parseHostProbe, probeHost } from '../../../src/facts/index.js';
import { LocalTransport } from '../../../src/transport/local.js';
import { waitFor } from '../../support/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'host probe '));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parseHostProbe (captured output)', () => {
  it('maps records back to the paths by index', () => {
    const paths = { files: ['/opt/a', '/opt/b', '/opt/c'], links: ['/opt/current', '/opt/x'], pidFiles: ['/p1', '/p2', '/p3', '/p4'], markers: ['/m1', '/m2'], diskPath: '/opt' };
    const out = [
      'F 0 + e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'F 1 -', 'F 2 !',
      'L 0 + releases/4.5.0-abcd1234', 'L 1 -',
      'P 0 + 4242 java -Xms256m -Dcarbon.home=/opt/wso2/gw', 'P 1 x 999', 'P 2 ?', 'P 3 -',
      'M 0 +', 'M 1 -',
      '@os', 'ID=debian', 'VERSION_ID="12"', '@arch', 'x86_64',
      '@df', 'Filesystem 1024-blocks Used Available Capacity Mounted on', '/dev/vdb 100 50 40 50% /opt',
      '@ss', 'State Recv-Q Send-Q Local Address:Port Peer Address:PortProcess',
      'LISTEN 0 4096 *:9443 *:* users:(("java",pid=4242,fd=9))', '',
    ].join('\n');
    expect(parseHostProbe(out, paths)).toEqual({
      files: { '/opt/a': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', '/opt/b': null, '/opt/c': null },
      unreadable: ['/opt/c'],
      links: { '/opt/current': 'releases/4.5.0-abcd1234', '/opt/x': null },
      pids: {
        '/p1': { state: 'alive', pid: 4242, cmdline: 'java -Xms256m -Dcarbon.home=/opt/wso2/gw' },
        '/p2': { state: 'dead', pid: 999 }, '/p3': { state: 'invalid' }, '/p4': { state: 'absent' },
      },
      markers: { '/m1': true, '/m2': false },
      os: { id: 'debian', versionId: '12', prettyName: 'debian' },
      arch: 'x86_64',
      disk: { freeBytes: 40 * 1024, mountPoint: '/opt' },
      listening: [{ address: '*', port: 9443, pids: [4242], processes: ['java'] }],
    });
  });
});

describe('probeHost on this machine (real sh, coreutils, ss)', () => {
  it('gathers every fact in one command', async () => {
    mkdirSync(join(dir, 'rel'));
    writeFileSync(join(dir, "it's a file"), '');
    symlinkSync('rel', join(dir, 'current'));
    const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
    writeFileSync(join(dir, 'live.pid'), `${sleeper.pid}\n`);
    writeFileSync(join(dir, 'crlf.pid'), `  ${sleeper.pid}\r\n`);
    writeFileSync(join(dir, 'bare.pid'), String(sleeper.pid));
    const longArgs = spawn('sleep', ['30', '0'.repeat(400)], { stdio: 'ignore' });
    writeFileSync(join(dir, 'long.pid'), `${longArgs.pid}\n`);
    writeFileSync(join(dir, 'dead.pid'), '999999999');
    writeFileSync(join(dir, 'junk.pid'), 'not a pid');
    // A zombie: the child exits at once, and its parent (`sleep 60`, which never reaps) keeps it until killed.
    const zombie = spawn('sh', ['-c', 'sleep 0.1 & exec sleep 60'], { stdio: 'ignore' });
    const child = async () => (await new LocalTransport('me').exec({ argv: ['ps', '-o', 'pid=,stat=', '--ppid', String(zombie.pid)] })).stdout.trim();
    await waitFor('the child to become a zombie', async () => / Z/.test(await child()));
    const zpid = (await child()).split(/\s+/)[0]!;
    writeFileSync(join(dir, 'zombie.pid'), zpid);
    const t = new LocalTransport('me');
    const calls: string[] = [];
    const counting = { ...t, host: t.host, exec: (c: Parameters<typeof t.exec>[0]) => { calls.push(String(c.argv[0])); return t.exec(c); } };
    try {
      const facts = await probeHost(counting as typeof t, {
        files: [join(dir, "it's a file"), join(dir, 'missing')],
        links: [join(dir, 'current'), join(dir, 'rel')],
        pidFiles: [join(dir, 'live.pid'), join(dir, 'dead.pid'), join(dir, 'junk.pid'), join(dir, 'none.pid'), join(dir, 'zombie.pid'),
          join(dir, 'crlf.pid'), join(dir, 'bare.pid'), join(dir, 'long.pid')],
        markers: [join(dir, 'rel'), join(dir, 'nope')],
        diskPath: join(dir, 'not', 'yet', 'created'),
      });
      expect(calls).toEqual(['sh']);
      expect(facts.files).toEqual({ [join(dir, "it's a file")]: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', [join(dir, 'missing')]: null });
      expect(facts.links).toEqual({ [join(dir, 'current')]: 'rel', [join(dir, 'rel')]: null });
      expect(facts.pids[join(dir, 'live.pid')]).toEqual({ state: 'alive', pid: sleeper.pid, cmdline: 'sleep 30' });
      expect(facts.pids[join(dir, 'dead.pid')]).toEqual({ state: 'dead', pid: 999999999 });
      expect(facts.pids[join(dir, 'junk.pid')]).toEqual({ state: 'invalid' });
      expect(facts.pids[join(dir, 'none.pid')]).toEqual({ state: 'absent' });
      expect(facts.pids[join(dir, 'zombie.pid')]).toEqual({ state: 'dead', pid: Number(zpid) });
      // Blanks, a Windows line end or no line end at all around the PID: the same live process.
      expect(facts.pids[join(dir, 'crlf.pid')]).toEqual({ state: 'alive', pid: sleeper.pid, cmdline: 'sleep 30' });
      expect(facts.pids[join(dir, 'bare.pid')]).toEqual({ state: 'alive', pid: sleeper.pid, cmdline: 'sleep 30' });
      expect(facts.pids[join(dir, 'long.pid')]).toEqual({ state: 'alive', pid: longArgs.pid, cmdline: `sleep 30 ${'0'.repeat(291)}` });
      expect(facts.markers).toEqual({ [join(dir, 'rel')]: true, [join(dir, 'nope')]: false });
      expect(facts.os).toMatchObject({ id: 'debian', versionId: '12' });
      expect(facts.arch).toMatch(/^(x86_64|aarch64)$/);
      expect(facts.disk?.freeBytes).toBeGreaterThan(0);
      expect(Array.isArray(facts.listening)).toBe(true);
    } finally {
      sleeper.kill();
      longArgs.kill();
      zombie.kill();
    }
  });

  it('builds an argv that carries paths as arguments, never inside the script', () => {
    const argv = hostProbeArgv({ files: ['/a; rm -rf /'] });
    expect(argv.slice(0, 2)).toEqual(['sh', '-c']);
    expect(argv.slice(3)).toEqual(['sh', 'trust', '1', '/a; rm -rf /', '0', '0', '0', '']);
  });

  it('reads the JDK version of a real JDK, and null when there is none', async () => {
    const t = new LocalTransport('me');
    expect((await javaVersion(t, '/usr/lib/jvm/java-17-openjdk-amd64'))?.major).toBe(17);
    expect(await javaVersion(t, join(dir, 'no-jdk'))).toBeNull();
  });
});
