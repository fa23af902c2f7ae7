/** A write that fails on a full disk is reported as such, with what is free and what was needed. */
import { describe, expect, it } from 'vitest';
import { RemoteError } from '../../../src/errors.js';
import { noSpaceError, onDisk } from '../../../src/steps/no-space.js';
import { RecordingTransport } from '../../fakes/recording-transport.js';

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
  it('any other failure stands as it was', async () => {
    const t = new RecordingTransport('gw-3').on('df -Pk', { stdout: ROOMY });
    expect(await noSpaceError(t, '/opt/wso2/dist/x.zip', 72_000, new Error('boom'))).toBeNull();
    await expect(onDisk(t, '/opt/x', 1, async () => { throw new Error('permission denied'); })).rejects.toThrow('permission denied');
    expect(await onDisk(t, '/opt/x', 1, async () => 7)).toBe(7);
  });
});
