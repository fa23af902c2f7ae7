import { describe, expect, it } from 'vitest';
import { parseDfPk, parseJavaVersion, parseOsRelease, parseProcNetTcp, parseSsListening } from '../../../src/facts/index.js';

describe('parseJavaVersion (captured `java -version` stderr)', () => {
  it('reads Temurin 21 and 25', () => {
    const t21 = 'openjdk version "21.0.5" 2024-10-15 LTS\nOpenJDK Runtime Environment Temurin-21.0.5+11 (build 21.0.5+11-LTS)\nOpenJDK 64-Bit Server VM Temurin-21.0.5+11 (build 21.0.5+11-LTS, mixed mode, sharing)\n';
    expect(parseJavaVersion(t21)).toEqual({ version: '21.0.5', major: 21, runtime: 'OpenJDK Runtime Environment Temurin-21.0.5+11 (build 21.0.5+11-LTS)' });
    const t25 = 'openjdk version "25.0.3" 2026-04-21 LTS\nOpenJDK Runtime Environment Temurin-25.0.3+9 (build 25.0.3+9-LTS)\n';
    expect(parseJavaVersion(t25)?.major).toBe(25);
  });

  it('reads Oracle 8 (1.8.0_x), a bare major, an early access build, and skips "Picked up" lines', () => {
    expect(parseJavaVersion('java version "1.8.0_412"\nJava(TM) SE Runtime Environment (build 1.8.0_412-b08)\n'))
      .toMatchObject({ version: '1.8.0_412', major: 8 });
    expect(parseJavaVersion('openjdk version "17" 2021-09-14\n')?.major).toBe(17);
    expect(parseJavaVersion('openjdk version "11.0.2-ea" 2019-01-15\n')?.major).toBe(11);
    expect(parseJavaVersion('Picked up JAVA_TOOL_OPTIONS: -Xmx1g\nopenjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)\n'))
      .toEqual({ version: '17.0.15', major: 17, runtime: 'OpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)' });
    expect(parseJavaVersion('sh: 1: /opt/java/bin/java: not found\n')).toBeNull();
  });
});

describe('parseOsRelease', () => {
  it('reads quoted and unquoted values (Debian, Ubuntu, Rocky captures)', () => {
    expect(parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n'))
      .toEqual({ id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' });
    expect(parseOsRelease('NAME="Ubuntu"\nVERSION_ID="22.04"\nID=ubuntu\nID_LIKE=debian\n')).toMatchObject({ id: 'ubuntu', versionId: '22.04' });
    expect(parseOsRelease("ID='rocky'\nVERSION_ID='9.3'\n")).toMatchObject({ id: 'rocky', versionId: '9.3' });
    expect(parseOsRelease('')).toBeNull();
  });
});

describe('parseDfPk', () => {
  it('reads available 1K blocks as bytes and the mount point', () => {
    const out = 'Filesystem     1024-blocks     Used Available Capacity Mounted on\n/dev/vda         264212084 22822336  83568576      22% /\n';
    expect(parseDfPk(out)).toEqual({ freeBytes: 83568576 * 1024, mountPoint: '/' });
    expect(parseDfPk('Filesystem 1024-blocks Used Available Capacity Mounted on\ntmpfs 100 100 0 100% /mnt/my disk\n'))
      .toEqual({ freeBytes: 0, mountPoint: '/mnt/my disk' });
    expect(parseDfPk('')).toBeNull();
  });
});

describe('listening ports', () => {
  it('parses ss -ltnp with and without process info, IPv4, IPv6 and interface-scoped addresses', () => {
    const ss = [
      'State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess',
      'LISTEN 0      128        127.0.0.1:2299      0.0.0.0:*    users:(("sshd",pid=27453,fd=3))',
      'LISTEN 0      128          0.0.0.0:2024      0.0.0.0:*',
      'LISTEN 0      4096            [::]:9443         [::]:*    users:(("java",pid=456,fd=300),("java",pid=457,fd=301))',
      'LISTEN 0      4096   127.0.0.53%lo:53        0.0.0.0:*    users:(("systemd-resolve",pid=5,fd=14))',
    ].join('\n');
    expect(parseSsListening(ss)).toEqual([
      { address: '127.0.0.1', port: 2299, pids: [27453], processes: ['sshd'] },
      { address: '0.0.0.0', port: 2024, pids: [], processes: [] },
      { address: '::', port: 9443, pids: [456, 457], processes: ['java'] },
      { address: '127.0.0.53', port: 53, pids: [5], processes: ['systemd-resolve'] },
    ]);
  });

  it('parses /proc/net/tcp and tcp6 listening rows only', () => {
    const proc = [
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
      '   0: 0100007F:08FB 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 28308 1 0 100 0 0 10 0',
      '   1: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1172 1 0 100 0 0 10 0',
      '   2: 0100007F:9C40 0100007F:08FB 01 00000000:00000000 00:00000000 00000000     0        0 1 1 0 100 0 0 10 0',
      '   0: 00000000000000000000000000000000:24E3 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1 0',
      '   1: 00000000000000000000000001000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000 0 0 1 1 0',
    ].join('\n');
    expect(parseProcNetTcp(proc).map((s) => `${s.address} ${s.port}`)).toEqual(['127.0.0.1 2299', '0.0.0.0 2024', ':: 9443', '::1 22']);
  });
});
