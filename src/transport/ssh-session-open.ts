/**
 * Opens one SSH session channel running `command`. sshd refuses a session ("Channel open failure: open failed",
 * logged as "no more sessions") while its MaxSessions (10) are taken, and a session still counts until sshd has
 * collected it after both sides closed it: a client that keeps 8 channels busy and opens the next one the moment
 * one closes meets that window under load. Nothing ran, so the open is retried after a short, growing delay.
 *
 * Callback style on purpose: ssh2 parses a whole socket read at once, so a quick command's output, exit status and
 * close can follow the open confirmation in the same tick. Listeners must be attached inside `opened`, synchronously;
 * a promise would attach them a microtask late and lose those events.
 */
import type { SshChannel, SshClient } from './ssh2-types.js';

/** Delays before each retry; about 5 s in all, then the refusal is the caller's error. */
const RETRY_DELAYS_MS = [10, 20, 50, 100, 200, 400, 800, 1000, 1000, 1000];

/** ssh2's error for a refused channel open (it carries the SSH reason code). */
export const isSessionRefused = (err: Error): boolean => /Channel open failure/i.test(err.message);

export function openSession(client: SshClient, command: string, opened: (err: Error | undefined, channel: SshChannel) => void): void {
  const attempt = (retry: number): void => {
    client.exec(command, (err, channel) => {
      const delay = RETRY_DELAYS_MS[retry];
      if (err && delay !== undefined && isSessionRefused(err)) setTimeout(() => attempt(retry + 1), delay);
      else opened(err, channel);
    });
  };
  attempt(0);
}
