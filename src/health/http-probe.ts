import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import type { HealthCheck, ProbeResult } from '../model/health.js';
import { isNotAnAnswer, tlsOver, type Tunnel } from './tunnel.js';

type HttpCheck = Extract<HealthCheck, { kind: 'http' }>;

/** Enough of the body to find `bodyContains` in a version or health page; the rest is discarded. */
const MAX_BODY = 64 * 1024;

type CreateConnection = (opts: unknown, done: (err: Error | null, socket?: Duplex) => void) => undefined;

/**
 * The request's connection through the tunnel (TLS added on top for https). A stream that opens after the probe
 * ended (its deadline passed while sshd was still connecting) is closed at once.
 */
function through(tunnel: Tunnel, url: URL, check: HttpCheck, lost: (err: unknown) => void, ended: () => boolean): CreateConnection {
  const https = url.protocol === 'https:';
  const port = Number(url.port || (https ? 443 : 80));
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return (_opts, done) => {
    tunnel(host, port).then(
      (stream) => {
        if (ended()) return void stream.destroy();
        done(null, https ? tlsOver(stream, host, !check.insecureTls) : stream);
      },
      (err: Error) => {
        if (isNotAnAnswer(err)) lost(err);
        done(Object.assign(new Error(err.message), { code: 'ECONNREFUSED' }));
      },
    );
    return undefined;
  };
}

/**
 * GET from the controller's HTTP client; with a tunnel, its TCP connection is opened by the node's sshd and carried
 * in the node's SSH session (no route from the controller needed). A refused connection or timeout is an unhealthy
 * answer; only a lost SSH connection, or sshd refusing forwarding, rejects. `origin` follows the URL in the details
 * (" (from host)" for a check of the host's own view).
 */
export function probeHttpFromController(check: HttpCheck, timeoutMs: number, signal?: AbortSignal, tunnel?: Tunnel, origin = ''): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const url = new URL(check.url);
    const where = `${check.url}${origin}`;
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    // The whole probe's deadline, as curl's --max-time, and the only one: the request's own `timeout` is an idle timer
    // on a socket, and an SSH channel (a plain stream) has none, so a node that accepts and never answers would hold it.
    const deadline = setTimeout(() => {
      req.destroy();
      done(false, `no answer from ${where} within ${timeoutMs} ms`);
    }, timeoutMs);
    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(deadline);
      return true;
    };
    const done = (healthy: boolean, detail: string): void => {
      if (settle()) resolve({ check, healthy, detail });
    };
    const lost = (err: unknown): void => {
      if (settle()) reject(err);
    };
    const viaTunnel = tunnel ? { createConnection: through(tunnel, url, check, lost, () => settled) } : {};
    const req = request(
      url,
      // No agent with a tunnel: Node calls createConnection only when the request has no agent (`agent: false`
      // makes a fresh one, and the request would connect from the controller).
      { method: 'GET', rejectUnauthorized: !check.insecureTls, ...(tunnel ? {} : { agent: false }), signal, ...viaTunnel } as never,
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (body.length < MAX_BODY) body += chunk;
        });
        res.on('error', (err) => done(false, `${err.message} while reading ${where}`));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (!check.expectStatus.includes(status)) {
            return done(false, `HTTP ${status} from ${where} (expected ${check.expectStatus.join('|')})`);
          }
          if (check.bodyContains !== undefined && !body.includes(check.bodyContains)) {
            return done(false, `HTTP ${status} from ${where} without ${JSON.stringify(check.bodyContains)} in the body`);
          }
          done(true, `HTTP ${status} from ${where}`);
        });
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => done(false, `${err.code ?? err.message} from ${where}${tunnel && err.message ? ` (${err.message}, through the host's SSH session)` : ''}`));
    req.end();
  });
}
