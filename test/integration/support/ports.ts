/** Ports on this machine for processes a test starts itself (PostgreSQL, nginx, simulated nodes). */
import { createServer } from 'node:net';

/** A port the kernel just handed out on 127.0.0.1 (free now; the caller binds it soon after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Whether `port` can be bound on every address right now. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0' }, () => server.close(() => resolve(true)));
  });
}

const taken = new Set<number>();

/**
 * A port offset (1000..21000, below the ephemeral range) under which every one of `basePorts` is free now, and
 * that this process has not handed out before: for nodes started side by side with `[server] offset`.
 */
export async function freePortOffset(basePorts: readonly number[]): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const offset = 1000 + Math.floor(Math.random() * 20000);
    if (taken.has(offset)) continue;
    const free = await Promise.all(basePorts.map((p) => portFree(p + offset)));
    if (free.every(Boolean)) {
      taken.add(offset);
      return offset;
    }
  }
  throw new Error('no free port offset found');
}
