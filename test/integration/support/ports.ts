/** Ports on this machine for processes a test starts itself (PostgreSQL, nginx, simulated nodes). */
import { createServer } from 'node:net';
import { BASE_PORTS } from '../../../sim/component/ports.js';

/** Every port a simulated WSO2 node can open, before `[server] offset`: the simulator's own table. */
export const WSO2_BASE_PORTS: readonly number[] = Object.values(BASE_PORTS);

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

/** Every port an offset handed out so far stands for, in this process: the next offset must not reuse any of them. */
const taken = new Set<number>();

/**
 * A port offset (1000..21000, below the ephemeral range) under which every one of `basePorts` (default: a WSO2 node's) is free now, and none
 * is a port this process has handed out before under another offset: for nodes started side by side with `[server]
 * offset`. Offsets are chosen before their nodes start, so a port of one (9443 + x) could be another's (9763 + y)
 * while both were still free; the second node then failed to bind, and a test probing its HTTP port met the first
 * node's TLS port (ECONNRESET).
 */
export async function freePortOffset(basePorts: readonly number[] = WSO2_BASE_PORTS): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const offset = 1000 + Math.floor(Math.random() * 20000);
    const ports = basePorts.map((p) => p + offset);
    if (ports.some((p) => taken.has(p))) continue;
    const free = await Promise.all(ports.map((p) => portFree(p)));
    if (free.every(Boolean)) {
      ports.forEach((p) => taken.add(p));
      return offset;
    }
  }
  throw new Error('no free port offset found');
}
