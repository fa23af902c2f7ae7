/** A write that fails on a full disk is reported as such, with what is free and what was needed. */
import { describe, expect, it } from 'vitest';
import { RemoteError } from '../../../src/errors.js';
import { noSpaceError, onDisk } from '../../../src/steps/no-space.js';
import { RecordingTransport } from '../../fakes/recording-transport.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { uploadArtifact } from '../../../src/steps/upload-artifact.js';

// `df -Pk /opt/wso2/dist` on a lab host whose /opt was filled with fallocate.
const FULL = 'Filesystem     1024-blocks   Used Available Capacity Mounted on\ntmpfs               307200 307168        32     100% /opt\n';
const ROOMY = 'Filesystem     1024-blocks   Used Available Capacity Mounted on\n/dev/vda         263174212 25165824 238008388  10% /\n';

describe('no space left', () => {
  it('a failed upload on a full disk says so, with the mount, what is free and what was needed', async () => {
    const t = new RecordingTransport('gw-3').on('df -Pk', { stdout: FULL });
    const err = await onDisk(t, '/opt/wso2/dist/wso2am-universal-gw-4.6.0.zip', 72_000, async () => { throw new Error('cannot write …: Failure'); }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect((err as RemoteError).message).toBe('gw-3: no space left on the disk of /opt for /opt/wso2/dist/wso2am-universal-gw-4.6.0.zip: 32 KB free, 70 KB needed');
    expect((err as RemoteError).detail).toBe('cannot write …: Failure');
    expect((err as RemoteError).hint).toBe('free space under /opt on gw-3, then run the same command again');
    expect(t.lines).toEqual(['df -Pk -- /opt/wso2/dist']);
  });
  it('an upload that lands but whose sha256 stamp meets a disk filled meanwhile says so too', async () => {
    let uploaded = false;
    const t = new RecordingTransport('gw-3').on('df -Pk', { stdout: FULL })
      .on('verify-and-stamp', () => (uploaded ? { exitCode: 1, stderr: 'sh: write error: No space left on device' } : { stdout: 'absent\n' }));
    const origPut = t.putFile.bind(t);
    t.putFile = async (...a: Parameters<typeof t.putFile>) => { uploaded = true; return origPut(...a); };
    const step = { id: 'gw-3/upload-artifact/gw', host: 'gw-3', kind: 'upload-artifact' as const, reason: 'new', certainty: 'certain' as const, after: [],
      localPath: '/dist/gw.zip', path: '/opt/wso2/.artifacts/gw.zip', sha256: 'a'.repeat(64), size: 72_000, mode: '0644' };
    const err = await uploadArtifact.apply(step, { transport: t, transportFor: () => undefined, contents: new Map(), clock: new FakeClock({ autoAdvance: true }), waitHealthy: async () => [] })
      .catch((e: unknown) => e);
    expect((err as RemoteError).message).toBe('gw-3: no space left on the disk of /opt for /opt/wso2/.artifacts/gw.zip: 32 KB free, 70 KB needed');
  });
  it('any other failure stands as it was', async () => {
    const t = new RecordingTransport('gw-3').on('df -Pk', { stdout: ROOMY });
    expect(await noSpaceError(t, '/opt/wso2/dist/x.zip', 72_000, new Error('boom'))).toBeNull();
    await expect(onDisk(t, '/opt/x', 1, async () => { throw new Error('permission denied'); })).rejects.toThrow('permission denied');
    expect(await onDisk(t, '/opt/x', 1, async () => 7)).toBe(7);
  });
});
