import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hostProbeArgv, javaVersion, parseHostProbe, probeHost } from '../../../src/facts/index.js';
import { STAMP_SUFFIX } from '../../../src/model/sha256-stamp.js';
import { LocalTransport } from '../../../src/transport/local.js';
import { waitFor } from '../../support/wait.js';

const dir = mkdtempSync(join(tmpdir(), 'host probe '));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

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

  it('answers many files with one stat, one sha256sum and one readlink, and whatever those cannot answer one path at a time', () => {
    const d = join(dir, 'many');
    mkdirSync(d);
    const plain = join(d, 'deployment.toml');
    const newline = join(d, 'odd\nname');
    const backslash = join(d, 'back\\slash');
    const stamped = join(d, 'pack.zip');
    const moved = join(d, 'moved.zip');
    for (const [f, body] of [[plain, 'toml'], [newline, 'nl'], [backslash, 'bs'], [stamped, 'pack'], [moved, 'old']] as const) writeFileSync(f, body);
    const statOf = (f: string) => execFileSync('stat', ['-c', '%s %i %.9Y %.9Z', '--', f], { encoding: 'utf8' }).trim();
    // A stamp naming other bytes, with the file's own identity, is believed: it proves the stamp answered.
    writeFileSync(stamped + STAMP_SUFFIX, `${sha('stamped')} ${statOf(stamped)}\n`);
    writeFileSync(moved + STAMP_SUFFIX, `${sha('stamped')} ${statOf(moved)}\n`);
    writeFileSync(moved, 'new');
    symlinkSync('releases/a', join(d, 'current'));
    symlinkSync('releases/b', join(d, 'previous'));
    // A wrapper per tool logs each call, then runs the real one.
    const tools = join(dir, 'tools');
    const log = join(dir, 'tool calls');
    mkdirSync(tools);
    for (const tool of ['stat', 'sha256sum', 'readlink', 'uname', 'df', 'ss', 'id', 'cat', 'tr']) {
      const real = execFileSync('/bin/sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim();
      writeFileSync(join(tools, tool), `#!/bin/sh\necho ${tool} >> '${log}'\nexec ${real} "$@"\n`);
      chmodSync(join(tools, tool), 0o755);
    }
    const paths = { files: [plain, newline, join(d, 'missing'), backslash, stamped, moved], links: [join(d, 'current'), plain, join(d, 'previous')], diskPath: d };
    const probe = () => parseHostProbe(execFileSync('/bin/sh', hostProbeArgv(paths).slice(1), { env: { PATH: tools }, encoding: 'utf8' }), paths);
    const want = {
      [plain]: sha('toml'), [newline]: sha('nl'), [join(d, 'missing')]: null, [backslash]: sha('bs'), [stamped]: sha('stamped'), [moved]: sha('new'),
    };
    const links = { [join(d, 'current')]: 'releases/a', [plain]: null, [join(d, 'previous')]: 'releases/b' };
    const facts = probe();
    expect(facts.files).toEqual(want);
    expect(facts.unreadable).toEqual([]);
    expect(facts.links).toEqual(links);
    // The architecture is read from /proc where the kernel has it (6.1+), else asked of uname.
    const uname = existsSync('/proc/sys/kernel/arch') ? [] : ['uname'];
    expect(readFileSync(log, 'utf8').trim().split('\n').sort()).toEqual(['df', 'readlink', 'sha256sum', 'ss', 'stat', ...uname]);
    expect(facts.arch).toBe(execFileSync('uname', ['-m'], { encoding: 'utf8' }).trim());

    // A file that cannot be read fails the batch (/proc/1/mem: a regular file that no one here can read, root included:
    // EACCES without the right to trace PID 1, EIO with it); every file is then hashed on its own, and keeps its own answer.
    const mem = '/proc/1/mem';
    const withMem = { ...paths, files: [plain, mem, backslash] };
    const r = parseHostProbe(execFileSync('/bin/sh', hostProbeArgv(withMem).slice(1), { encoding: 'utf8' }), withMem);
    expect(r.files).toEqual({ [plain]: sha('toml'), [mem]: null, [backslash]: sha('bs') });
    expect(r.unreadable).toEqual([mem]);
    // A link target with a line break does not line up: each link is read on its own.
    symlinkSync('two\nlines', join(d, 'odd-link'));
    const oddLinks = { links: [join(d, 'odd-link'), join(d, 'current')] };
    expect(parseHostProbe(execFileSync('/bin/sh', hostProbeArgv(oddLinks).slice(1), { encoding: 'utf8' }), oddLinks).links)
      .toEqual({ [join(d, 'odd-link')]: 'two', [join(d, 'current')]: 'releases/a' });
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
