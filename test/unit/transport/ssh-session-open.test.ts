import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openSession } from '../../../src/transport/ssh-session-open.js';
import type { SshChannel, SshClient } from '../../../src/transport/ssh2-types.js';

/** Refuses the first `refusals` opens the way ssh2 reports sshd's "no more sessions". */
function client(refusals: number, error = '(SSH) Channel open failure: open failed'): SshClient & { opens: number } {
  const c = Object.assign(new EventEmitter(), {
    opens: 0,
    exec(_command: string, cb: (err: Error | undefined, channel: SshChannel) => void) {
      c.opens++;
      const refused = c.opens <= refusals;
      queueMicrotask(() => cb(refused ? Object.assign(new Error(error), { reason: 2 }) : undefined, new EventEmitter() as unknown as SshChannel));
    },
    end() {},
    forwardOut() {
      throw new Error('not used by openSession');
    },
  });
  return c;
}

/** openSession as a promise, for the assertions. */
const open = (c: SshClient) => new Promise<SshChannel>((resolve, reject) => openSession(c, 'true', (err, ch) => (err ? reject(err) : resolve(ch))));

describe('openSession', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('retries a session sshd refused while its MaxSessions were taken, and gets one once a slot frees', async () => {
    const c = client(3);
    const opened = open(c);
    await vi.advanceTimersByTimeAsync(10 + 20 + 50);
    await expect(opened).resolves.toBeDefined();
    expect(c.opens).toBe(4);
  });

  it('gives up after its retries (about 5 s) with the refusal', async () => {
    const c = client(Infinity);
    const opened = open(c);
    const settled = expect(opened).rejects.toThrow('Channel open failure: open failed');
    await vi.advanceTimersByTimeAsync(10_000);
    await settled;
    expect(c.opens).toBe(11);
  });

  it('does not retry other errors', async () => {
    const c = client(1, 'No response from server');
    await expect(open(c)).rejects.toThrow('No response from server');
    expect(c.opens).toBe(1);
  });
});
