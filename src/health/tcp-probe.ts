import { connect } from 'node:net';
import type { HealthCheck, ProbeResult } from '../model/health.js';

type TcpCheck = Extract<HealthCheck, { kind: 'tcp' }>;

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
