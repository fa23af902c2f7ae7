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

/** A real login as root with the lab's key and strict host key checking, as the orchestrator will do. */
export async function sshLogin(address: string, key: string, knownHosts: string): Promise<boolean> {
  const result = await run('ssh', [
    '-i', key,
    '-o', `UserKnownHostsFile=${knownHosts}`,
    '-o', 'StrictHostKeyChecking=yes',
    '-o', 'BatchMode=yes',
    '-o', 'ConnectTimeout=3',
    '-o', 'IdentitiesOnly=yes',
    '-o', 'LogLevel=ERROR',
    `root@${address}`, 'true',
  ], { timeoutMs: 10_000 }).catch(() => ({ code: -1 }));
  return result.code === 0;
}
