import { connect } from 'node:net';
import type { HealthCheck, ProbeResult } from '../model/health.js';
import { isNotAnAnswer, type Tunnel } from './tunnel.js';

type TcpCheck = Extract<HealthCheck, { kind: 'tcp' }>;

/**
 * The port, opened by the node's own sshd through its SSH session (no route from the controller needed).
 * A refused port is an unhealthy answer; a lost SSH connection, or sshd refusing forwarding, rejects. `origin`
 * follows the port in the details.
 */
export async function probeTcpThroughTunnel(check: TcpCheck, timeoutMs: number, tunnel: Tunnel, origin = ''): Promise<ProbeResult> {
  const where = `${check.host}:${check.port}${origin}`;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<ProbeResult>((resolve) => {
    timer = setTimeout(() => resolve({ check, healthy: false, detail: `port ${where} did not answer within ${timeoutMs} ms` }), timeoutMs);
  });
  const opened = tunnel(check.host, check.port).then(
    (stream): ProbeResult => {
      stream.destroy();
      return { check, healthy: true, detail: `port ${where} open` };
    },
    (err: Error): ProbeResult => {
      if (isNotAnAnswer(err)) throw err;
      const refused = /refused/i.test(err.message);
      return { check, healthy: false, detail: refused ? `port ${where} closed` : `port ${where}: ${err.message}` };
    },
  );
  try {
    return await Promise.race([opened, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Connect from the controller and close at once. Never throws. */
export function probeTcpFromController(check: TcpCheck, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const where = `${check.host}:${check.port}`;
    const socket = connect({ host: check.host, port: check.port });
    const done = (healthy: boolean, detail: string): void => {
      socket.destroy();
      resolve({ check, healthy, detail });
    };
    socket.setTimeout(timeoutMs, () => done(false, `port ${where} did not answer within ${timeoutMs} ms`));
    socket.once('connect', () => done(true, `port ${where} open`));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      done(false, err.code === 'ECONNREFUSED' ? `port ${where} closed` : `port ${where}: ${err.code ?? err.message}`),
    );
  });
}
