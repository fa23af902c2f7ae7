/** HTTP from the controller for integration tests: one GET, and a wait for an answer with a generous deadline. */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface HttpAnswer {
  /** 0 when there was no HTTP answer (refused, reset, timed out): see `error`. */
  readonly status: number;
  readonly body: string;
  readonly error?: string;
}

/** Per request; a slow machine answers late, so it is generous (waits retry anyway). */
const REQUEST_TIMEOUT_MS = 10_000;

/** GET from the controller; TLS certificates are not checked (the lab's are self-signed). Rejects when no answer. */
export async function httpGet(url: string, timeoutMs = REQUEST_TIMEOUT_MS): Promise<HttpAnswer> {
  const a = await tryGet(url, timeoutMs);
  if (a.status === 0) throw new Error(`GET ${url}: ${a.error}`);
  return a;
}

/** GET that never rejects: no answer is status 0 with the error code (ECONNREFUSED, ...). */
export function tryGet(url: string, timeoutMs = REQUEST_TIMEOUT_MS): Promise<HttpAnswer> {
  return tryRequest('GET', url, undefined, timeoutMs);
}

/** Any method, with an optional JSON body; never rejects (status 0 and the error when there was no answer). */
export function tryRequest(method: string, url: string, json?: unknown, timeoutMs = REQUEST_TIMEOUT_MS): Promise<HttpAnswer & { readonly headers?: Record<string, string | string[] | undefined> }> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  const body = json === undefined ? undefined : JSON.stringify(json);
  return new Promise((resolve) => {
    const headers = body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
    const req = request(url, { method, headers, rejectUnauthorized: false, agent: false, timeout: timeoutMs }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer in ${timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ status: 0, body: '', error: err.code ?? err.message }));
    req.end(body);
  });
}

/**
 * Polls until `url` answers `status`; returns how long it took (a figure to print, never to assert on). The
 * deadline only ends a wait that will not succeed: it is generous so a busy machine does not fail the test.
 */
export async function waitForStatus(url: string, status: number, opts: { timeoutMs?: number; intervalMs?: number } = {}): Promise<number> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const started = Date.now();
  let last: HttpAnswer = { status: 0, body: '' };
  while (Date.now() - started < timeoutMs) {
    last = await tryGet(url);
    if (last.status === status) return Date.now() - started;
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${last.status} ${last.error ?? last.body.slice(0, 120)})`);
}
