import { describe, expect, it } from 'vitest';
import { TransportError } from '../../../src/errors.js';
import { hostProbeArgv, probeHost } from '../../../src/facts/index.js';
import { Secret } from '../../../src/model/secret.js';
import { ReadOnlyViolation, RecordingTransport, sha256 } from '../../fakes/recording-transport.js';

describe('RecordingTransport (the fake other modules test with)', () => {
  it('records calls, answers scripted commands and masks secrets in the recorded lines', async () => {
    const t = new RecordingTransport('gw-1')
      .on('sha256sum', { stdout: 'abc  /opt/x\n' })
      .on(/^false/, { exitCode: 1 }, { once: true })
      .on('boom', new TransportError('gw-1', 'timeout', 'slow'));
    expect((await t.exec({ argv: ['sha256sum', '/opt/x'] })).stdout).toBe('abc  /opt/x\n');
    expect((await t.exec({ argv: ['false'] })).exitCode).toBe(1);
    expect((await t.exec({ argv: ['false'] })).exitCode).toBe(0);
    await expect(t.exec({ argv: ['boom'] })).rejects.toBeInstanceOf(TransportError);
    await t.exec({ argv: ['psql', new Secret('pw', 'test')] });
    expect(t.lines).toEqual(['sha256sum /opt/x', 'false', 'false', 'boom', 'psql ***']);
  });

  it('lets a later rule override a catch-all, answers sha256sum from its files, and in strict mode refuses the unanswered', async () => {
    const t = new RecordingTransport('gw-1').on(/.*/, { stdout: 'any\n' }).on('uname', { stdout: 'Linux\n' });
    expect((await t.exec({ argv: ['uname'] })).stdout).toBe('Linux\n');
    expect((await t.exec({ argv: ['id'] })).stdout).toBe('any\n');

    const files = new RecordingTransport('gw-1', { strict: true });
    await files.put('a=1\n', '/opt/conf', { mode: '0600' });
    expect((await files.exec({ argv: ['sha256sum', '--', '/opt/conf'] })).stdout).toBe(`${sha256('a=1\n')}  /opt/conf\n`);
    expect((await files.exec({ argv: ['sha256sum', '--', '/absent'] })).exitCode).toBe(1);
    await expect(files.exec({ argv: ['uname'] })).rejects.toThrow('gw-1: no scripted answer for: uname');
    expect(files.lines).toEqual(['put /opt/conf', 'sha256sum -- /opt/conf', 'sha256sum -- /absent', 'uname']);
  });

  it('keeps put files in memory for read and stat', async () => {
    const t = new RecordingTransport('gw-1').seedDir('/opt/wso2');
    await t.put('a=1\n', '/opt/wso2/conf', { mode: '0600', owner: 'wso2carbon' });
    expect(new TextDecoder().decode(await t.read('/opt/wso2/conf'))).toBe('a=1\n');
    expect(await t.stat('/opt/wso2/conf')).toEqual({ kind: 'file', mode: '0600', owner: 'wso2carbon', size: 4 });
    expect(await t.stat('/opt/wso2')).toMatchObject({ kind: 'dir' });
    expect(await t.stat('/absent')).toBeUndefined();
  });

  it('in read-only mode allows reads and fact scripts, and throws on anything else', async () => {
    const t = new RecordingTransport('gw-1', { readOnly: true }).on('sh -c', { stdout: '@arch\nx86_64\n' });
    await t.exec({ argv: ['sha256sum', '/opt/x'] });
    await t.exec({ argv: ['/opt/java/bin/java', '-version'] });
    expect((await probeHost(t, {})).arch).toBe('x86_64');
    await expect(t.exec({ argv: ['rm', '-rf', '/opt'] })).rejects.toBeInstanceOf(ReadOnlyViolation);
    await expect(t.exec({ argv: ['sh', '-c', 'rm -rf /opt'] })).rejects.toThrow(/read-only run tried to execute: sh -c/);
    await expect(t.put('x', '/opt/y', { mode: '0644' })).rejects.toBeInstanceOf(ReadOnlyViolation);
    expect(hostProbeArgv({})[0]).toBe('sh');
  });
});
