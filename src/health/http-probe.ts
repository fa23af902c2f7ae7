import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { HealthCheck, ProbeResult } from '../model/health.js';

type HttpCheck = Extract<HealthCheck, { kind: 'http' }>;

/** Enough of the body to find `bodyContains` in a version or health page; the rest is discarded. */
const MAX_BODY = 64 * 1024;

/** GET from the controller. Never throws: a refused connection or timeout is an unhealthy answer. */
export function probeHttpFromController(check: HttpCheck, timeoutMs: number, signal?: AbortSignal): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const url = new URL(check.url);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const done = (healthy: boolean, detail: string): void => {
      if (settled) return;
      settled = true;
      resolve({ check, healthy, detail });
    };
    const req = request(
      url,
      { method: 'GET', timeout: timeoutMs, rejectUnauthorized: !check.insecureTls, agent: false, signal },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (body.length < MAX_BODY) body += chunk;
        });
        res.on('error', (err) => done(false, `${err.message} while reading ${check.url}`));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (!check.expectStatus.includes(status)) {
            return done(false, `HTTP ${status} from ${check.url} (expected ${check.expectStatus.join('|')})`);
          }
          if (check.bodyContains !== undefined && !body.includes(check.bodyContains)) {
            return done(false, `HTTP ${status} from ${check.url} without ${JSON.stringify(check.bodyContains)} in the body`);
          }
          done(true, `HTTP ${status} from ${check.url}`);
        });
      },
    );
    req.on('timeout', () => {
      req.destroy();
      done(false, `no answer from ${check.url} within ${timeoutMs} ms`);
    });
    req.on('error', (err: NodeJS.ErrnoException) => done(false, `${err.code ?? err.message} from ${check.url}`));
    req.end();
  });
}
