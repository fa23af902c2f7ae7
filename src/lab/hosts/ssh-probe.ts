import { connect } from 'node:net';
import { run } from './run.js';

/** Resolves true once `address:port` answers with an SSH banner, false if it does not within timeoutMs. */
export function sshBanner(address: string, timeoutMs = 1000, port = 22): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port });
    let data = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.on('error', () => done(false));
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      if (data.includes('\n')) done(data.startsWith('SSH-2.0-'));
    });
  });
}

/**
 * Polls until sshd on `address` answers (it binds right after the host reports ready). Each attempt waits twice as
 * long as the one before for the banner, up to the deadline: sshd re-executes itself for every connection, and with
 * 64 hosts booting on 2 busy cores that took longer than a fixed 500 ms each time, so every attempt was cut short
 * and a listening sshd was reported dead. A refused connection fails at once and is retried after 20 ms.
 */
export async function waitForSsh(address: string, timeoutMs = 10_000, port = 22): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let wait = 500; Date.now() < deadline; wait *= 2) {
    if (await sshBanner(address, Math.max(1, Math.min(wait, deadline - Date.now())), port)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return false;
}

/**
 * Polls, from inside the network namespace of the process `pid`, until `address:22` accepts a connection: hosts
 * behind a bastion cannot be reached from the controller. One process for the whole wait.
 */
export async function waitForSshInside(pid: number, address: string, timeoutMs = 10_000): Promise<boolean> {
  const seconds = String(Math.ceil(timeoutMs / 1000));
  const probe = 'until (exec 3<>"/dev/tcp/$0/22") 2>/dev/null; do sleep 0.05; done';
  const result = await run('nsenter', ['-t', String(pid), '-n', '--', 'timeout', seconds, 'bash', '-c', probe, address],
    { timeoutMs: timeoutMs + 5000 }).catch(() => ({ code: -1 }));
  return result.code === 0;
}

/**
 * A real login as the login user through the lab's ssh_config (its key, strict host key checking, the bastion
 * when there is one), as an operator would type it.
 */
export async function sshLogin(host: string, sshConfig: string): Promise<boolean> {
  const result = await run('ssh', ['-F', sshConfig, '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=3', '-o', 'LogLevel=ERROR', host, 'true'],
    { timeoutMs: 15_000 }).catch(() => ({ code: -1 }));
  return result.code === 0;
}
