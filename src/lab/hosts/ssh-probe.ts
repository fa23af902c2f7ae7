import { connect } from 'node:net';
import { run } from './run.js';

/** Resolves true once `address:22` answers with an SSH banner, false if it does not within timeoutMs. */
export function sshBanner(address: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port: 22 });
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

/** Polls until sshd on `address` answers (it binds right after the host reports ready). */
export async function waitForSsh(address: string, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await sshBanner(address, 500)) return true;
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
