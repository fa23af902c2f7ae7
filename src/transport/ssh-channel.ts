/** Runs one command line on one SSH session channel and collects its exact output; kills it on timeout or abort. */
import { openSession } from './ssh-session-open.js';
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
 * so the reliable kill is `kill -s KILL -- -PID` on a second channel. A command cut before its PID arrived (the
 * remote login shell can take seconds to start) is killed when the PID arrives: closing the channel alone would leave
 * it running, holding one of sshd's MaxSessions until it ends.
 */
const PID_PREFIX = 'printf "apim-pid %s\\n" "$$" >&2; ';
/** The first such line: the login shell's start-up files may print to stderr before it. */
const PID_LINE = /(?<=^|\n)apim-pid (\d+)\n/;
/** After the kill: how long to wait for the channel to close. */
const KILL_GRACE_MS = 2000;
/** A command cut before its PID arrived: how long to wait for the PID (the shell's start) before giving up. */
const PID_WAIT_MS = 15_000;

/** Asks sshd to signal the channel (ignored for root, see above); best effort. */
function signalChannel(channel: SshChannel): void {
  try {
    // ssh2 only sends "signal" while our side is open; stdin is already ended, so use its protocol directly.
    const c = channel as unknown as { _client?: { _protocol?: { signal?(id: number, s: string): void } }; outgoing?: { id: number; state: string } };
    if (c.outgoing?.state === 'open' || c.outgoing?.state === 'eof') c._client?._protocol?.signal?.(c.outgoing.id, 'KILL');
  } catch {
    // Best effort: the PID kill is the one that counts.
  }
}

/** Kills the command's process group from a second channel; resolves once that channel is gone (or failed to open). */
function killGroup(client: SshClient, pid: string): Promise<void> {
  return new Promise((resolve) => {
    openSession(client, `kill -s KILL -- -${pid} 2>/dev/null || kill -s KILL ${pid} 2>/dev/null; true`, (err, side) => {
      if (err) return resolve();
      side.on('close', () => resolve()).resume().end();
    });
  });
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
    openSession(client, killable ? PID_PREFIX + wire : wire, (err, channel) => {
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
      let killing: Promise<void> | undefined;

      /** Give up waiting: close our side and report (the command may still run if it could not be killed). */
      const giveUp = () => {
        channel.close();
        finish();
      };
      /** Kill by PID, close our side, and allow the channel KILL_GRACE_MS to close. */
      const kill = () => {
        if (killing || pid === undefined) return;
        killing = killGroup(client, pid);
        channel.close();
        clearTimeout(grace);
        grace = setTimeout(giveUp, KILL_GRACE_MS);
      };
      const stop = (why: 'timeout' | 'abort') => {
        if (cut !== null || done) return;
        cut = why;
        signalChannel(channel);
        if (pid !== undefined) kill();
        // Closing before the PID is known would leave the command running: wait for the PID, within bounds.
        else grace = setTimeout(giveUp, PID_WAIT_MS);
      };
      const timer = timeoutMs === undefined ? undefined : setTimeout(() => stop('timeout'), timeoutMs);
      const onAbort = () => stop('abort');
      abort?.addEventListener('abort', onAbort, { once: true });

      channel.on('data', (chunk: Buffer) => out.push(chunk));
      channel.stderr.on('data', (chunk: Buffer) => {
        errOut.push(chunk);
        if (killable && pid === undefined) {
          pid = PID_LINE.exec(Buffer.concat(errOut).toString('latin1'))?.[1];
          if (pid !== undefined && cut !== null) kill();
        }
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
      const onClose = () => {
        // The kill channel is a session too: hold the caller's channel slot until it is gone.
        if (killing) void killing.then(finish);
        else finish();
      };
      channel.on('close', onClose);
      if (stdin !== undefined) channel.write(stdin);
      channel.end();
      if (abort?.aborted) onAbort();
    });
  });
}
