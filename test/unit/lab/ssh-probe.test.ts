import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitForSsh } from '../../../src/lab/hosts/ssh-probe.js';

/** A stand-in sshd on loopback that sends its banner `delayMs` after each connection, as a busy sshd re-executing itself. */
async function slowSshd(delayMs: number): Promise<{ server: Server; port: number; connections: () => number }> {
  let count = 0;
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    count++;
    sockets.push(socket);
    socket.on('error', () => undefined);
    setTimeout(() => { if (!socket.destroyed) socket.write('SSH-2.0-OpenSSH_9.2p1\r\n'); }, delayMs);
  });
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as { port: number }).port, connections: () => count };
}

describe('waitForSsh', () => {
  let server: Server | undefined;
  afterEach(() => { server?.close(); server = undefined; });

  it('waits for an sshd whose banner comes later than the first attempt waits, instead of cutting every attempt short', async () => {
    const sshd = await slowSshd(1500);
    server = sshd.server;
    // The first attempt (0.5 s) and the second (1 s) end before the banner; the third (2 s) gets it.
    expect(await waitForSsh('127.0.0.1', 30_000, sshd.port)).toBe(true);
    expect(sshd.connections()).toBeGreaterThanOrEqual(2);
  });

  it('gives up at its deadline when nothing listens', async () => {
    const probe = await slowSshd(0);
    const port = probe.port;
    await new Promise<void>((r) => probe.server.close(() => r()));
    expect(await waitForSsh('127.0.0.1', 300, port)).toBe(false);
  });
});
