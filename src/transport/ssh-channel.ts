/** Runs one command line on one SSH session channel and collects its exact output; kills it on timeout or abort. */
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
 * Killable commands first print their shell's PID on stderr (sshd made that shell a session and process group
 * leader). OpenSSH ignores "signal" requests for root logins ("session signalling requires privilege separation"),
 * so the reliable kill is `kill -s KILL -- -PID` on a second channel.
 */
const PID_PREFIX = 'printf "apim-pid %s\\n" "$$" >&2; ';
const PID_LINE = /^apim-pid (\d+)\n/;
const KILL_GRACE_MS = 2000;

function sendKill(client: SshClient, channel: SshChannel, pid: string | undefined): void {
  try {
    // ssh2 only sends "signal" while our side is open; stdin is already ended, so use its protocol directly.
    const c = channel as unknown as { _client?: { _protocol?: { signal?(id: number, s: string): void } }; outgoing?: { id: number; state: string } };
    if (c.outgoing?.state === 'open' || c.outgoing?.state === 'eof') c._client?._protocol?.signal?.(c.outgoing.id, 'KILL');
  } catch {
    // Best effort: the PID kill below is the one that counts.
  }
  if (pid !== undefined) {
    client.exec(`kill -s KILL -- -${pid} 2>/dev/null || kill -s KILL ${pid} 2>/dev/null; true`, (err, side) => {
      if (!err) side.on('close', () => undefined).resume().end();
    });
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
  const killable = timeoutMs !== undefined || abort !== undefined;
  return new Promise((resolve, reject) => {
    client.exec(killable ? PID_PREFIX + wire : wire, (err, channel) => {
      if (err) return reject(err);
      const out: Buffer[] = [];
      const errOut: Buffer[] = [];
      let pid: string | undefined;
      let exitCode: number | null = null;
      let signal: string | null = null;
      let sawExit = false;
      let cut: ChannelOutcome['cut'] = null;
      let grace: NodeJS.Timeout | undefined;
      let done = false;

      const stop = (why: 'timeout' | 'abort') => {
        if (cut !== null || done) return;
        cut = why;
        sendKill(client, channel, pid);
        // If nothing could kill it the channel stays until the command ends: stop waiting anyway.
        grace = setTimeout(finish, KILL_GRACE_MS);
      };
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => stop('timeout'), timeoutMs);
      const onAbort = () => stop('abort');
      abort?.addEventListener('abort', onAbort, { once: true });

      channel.on('data', (chunk: Buffer) => out.push(chunk));
      channel.stderr.on('data', (chunk: Buffer) => {
        errOut.push(chunk);
        if (killable && pid === undefined) pid = PID_LINE.exec(Buffer.concat(errOut).toString('latin1'))?.[1];
      });
      channel.on('exit', (code: number | null, sig?: string) => {
        sawExit = true;
        exitCode = typeof code === 'number' ? code : null;
        signal = sig ? (sig.startsWith('SIG') ? sig : `SIG${sig}`) : null;
      });
      function finish(): void {
        if (done) return;
        done = true;
        clearTimeout(timer);
        clearTimeout(grace);
        abort?.removeEventListener('abort', onAbort);
        const stderr = Buffer.concat(errOut).toString('utf8');
        resolve({
          exitCode, signal, cut, noStatus: !sawExit,
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: killable ? stderr.replace(PID_LINE, '') : stderr,
        });
      }
      channel.on('close', finish);
      if (stdin !== undefined) channel.write(stdin);
      channel.end();
      if (abort?.aborted) onAbort();
    });
  });
}
