/** Runs one command line on one SSH session channel and collects its exact output. */
import type { SshChannel, SshClient } from './ssh2-types.js';

export interface ChannelOutcome {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  /** How the channel ended when the command did not finish on its own. */
  readonly cut: 'timeout' | 'abort' | null;
  /** True when the channel closed with no exit status (connection lost). */
  readonly noStatus: boolean;
}

/**
 * OpenSSH (7.9+) delivers a "signal" request to the session's whole process group. ssh2 refuses to send it once
 * our side of the channel is ended (stdin closed), which is always the case here, so fall back to its protocol.
 */
function kill(channel: SshChannel): void {
  try {
    if (channel.writable) channel.signal('KILL');
    else {
      const c = channel as unknown as { _client?: { _protocol?: { signal?(id: number, s: string): void } }; outgoing?: { id: number; state: string } };
      if (c.outgoing?.state === 'open') c._client?._protocol?.signal?.(c.outgoing.id, 'KILL');
    }
  } catch {
    // The channel is going away anyway; closing it below is what frees our side.
  }
  channel.close();
}

export function runChannel(
  client: SshClient,
  wire: string,
  stdin: string | undefined,
  timeoutMs: number | undefined,
  abort: AbortSignal | undefined,
): Promise<ChannelOutcome> {
  return new Promise((resolve, reject) => {
    client.exec(wire, (err, channel) => {
      if (err) return reject(err);
      const out: Buffer[] = [];
      const errOut: Buffer[] = [];
      let exitCode: number | null = null;
      let signal: string | null = null;
      let sawExit = false;
      let cut: ChannelOutcome['cut'] = null;
      const stop = (why: 'timeout' | 'abort') => {
        if (cut === null) cut = why;
        kill(channel);
      };
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => stop('timeout'), timeoutMs);
      const onAbort = () => stop('abort');
      abort?.addEventListener('abort', onAbort, { once: true });
      channel.on('data', (chunk: Buffer) => out.push(chunk));
      channel.stderr.on('data', (chunk: Buffer) => errOut.push(chunk));
      channel.on('exit', (code: number | null, sig?: string) => {
        sawExit = true;
        exitCode = typeof code === 'number' ? code : null;
        signal = sig ? (sig.startsWith('SIG') ? sig : `SIG${sig}`) : null;
      });
      channel.on('close', () => {
        if (timer) clearTimeout(timer);
        abort?.removeEventListener('abort', onAbort);
        resolve({
          exitCode, signal, cut, noStatus: !sawExit,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(errOut).toString('utf8'),
        });
      });
      if (stdin !== undefined) channel.write(stdin);
      channel.end();
      if (abort?.aborted) onAbort();
    });
  });
}
