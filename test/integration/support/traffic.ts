/**
 * Traffic through a load balancer as real clients send it, for rollout tests and the chaos benchmark: every client
 * kind runs its own loops until stop(), and the report counts sent/failed per kind.
 * - GET and POST /echo, each over keep-alive connections (Node's Agent keepAlive: true, as API clients and SDKs
 *   reuse connections) and over a fresh connection per request, on HTTP 8280 and HTTPS 8243;
 * - every POST carries a unique id that the sample API echoes and logs (sim/component/sample-api.ts), so
 *   `exactlyOnce` can prove each POST was answered once and reached one node once;
 * - slow GETs (`?delay=`) always in flight, so a node being drained has one to finish;
 * - portal users (GET /devportal on 443) that keep their cookies: a user whose portal session is not resumed
 *   has lost it (`sessionLosses`), which a sticky balancer allows only when the user's node left it.
 */
import { randomBytes } from 'node:crypto';
import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface KindReport {
  sent: number;
  failed: number;
  /** First few failures, for assertion messages. */
  readonly failures: string[];
  /** Answers per `host@version` that served them. */
  readonly byNode: Record<string, number>;
}

export interface SessionLoss {
  readonly user: number;
  /** Node the user's session was on. */
  readonly from: string;
  readonly to: string;
  /** Date.now() of the answer that started a new session. */
  readonly at: number;
}

export interface TrafficReport {
  /** Per client kind, e.g. `POST keep-alive https:8243`. */
  readonly kinds: Readonly<Record<string, KindReport>>;
  readonly sent: number;
  readonly failed: number;
  /** POST ids sent, and the node that answered each (missing: no answer). */
  readonly posts: ReadonlyMap<string, string | null>;
  readonly sessionLosses: readonly SessionLoss[];
  /** Portal users and the node each ended on. */
  readonly portalUsers: readonly string[];
  /** Every slow request: the host that answered (null: failed) and when it was sent and answered (Date.now()). */
  readonly slow: readonly SlowRequest[];
}

export interface SlowRequest {
  readonly host: string | null;
  readonly sentAt: number;
  readonly answeredAt: number;
}

export interface TrafficOptions {
  /** Loops per GET/POST kind (default 1). */
  readonly loops?: number;
  /** Pause between a loop's requests (default 20 ms). */
  readonly pauseMs?: number;
  /** Delay the slow GETs ask for (default 5000 ms); 0: no slow requests. */
  readonly slowMs?: number;
  /** Slow GET loops per scheme (default 3), so most gateways have one in flight at any time. */
  readonly slowLoops?: number;
  /** Portal users on 443 (default 4; 0: none, e.g. a balancer without control planes). */
  readonly portalUsers?: number;
  /** Which schemes to send API traffic on (default both). */
  readonly schemes?: readonly ('http' | 'https')[];
  readonly ports?: { readonly http?: number; readonly https?: number; readonly portal?: number };
}

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers: IncomingHttpHeaders;
}

type Agentish = HttpAgent | HttpsAgent | false;

function send(url: string, agent: Agentish, method: 'GET' | 'POST', body: string | null, headers: Record<string, string>, timeoutMs: number): Promise<Answer> {
  const request = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method, agent, timeout: timeoutMs, rejectUnauthorized: false,
      headers: { ...headers, ...(body !== null ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } : {}) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

const parse = (body: string): Record<string, unknown> => {
  try {
    return JSON.parse(body) as Record<string, unknown>;
  } catch {
    return {};
  }
};

export interface Traffic {
  progress(): TrafficReport;
  stop(): Promise<TrafficReport>;
}

/** Starts every client kind against the balancer at `address`; stop() ends the loops after their current request. */
export function startTraffic(address: string, opts: TrafficOptions = {}): Traffic {
  const tag = randomBytes(4).toString('hex');
  const ports = { http: 8280, https: 8243, portal: 443, ...opts.ports };
  const pause = opts.pauseMs ?? 20;
  const slowMs = opts.slowMs ?? 5000;
  let running = true;
  let seq = 0;
  const kinds: Record<string, KindReport> = {};
  const posts = new Map<string, string | null>();
  const losses: SessionLoss[] = [];
  const agents: (HttpAgent | HttpsAgent)[] = [];
  const portalAt: string[] = [];
  const kind = (name: string): KindReport => (kinds[name] ??= { sent: 0, failed: 0, failures: [], byNode: {} });
  const fail = (k: KindReport, why: string) => {
    k.failed++;
    if (k.failures.length < 10) k.failures.push(why);
  };
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  const slow: SlowRequest[] = [];
  const apiLoop = async (name: string, url: string, agent: Agentish, method: 'GET' | 'POST', timeoutMs: number, isSlow = false): Promise<void> => {
    const k = kind(name);
    while (running) {
      const sentAt = Date.now();
      let host: string | null = null;
      const id = method === 'POST' ? `${tag}-${++seq}` : null;
      if (id) posts.set(id, null);
      k.sent++;
      try {
        const a = await send(url, agent, method, id ? JSON.stringify({ id, note: 'apim-deploy traffic' }) : null, {}, timeoutMs);
        const b = parse(a.body);
        if (a.status !== 200) fail(k, `HTTP ${a.status}: ${a.body.slice(0, 120)}`);
        else if (id && b['id'] !== id) fail(k, `POST ${id} answered with id ${String(b['id'])}`);
        else {
          host = String(b['host'] ?? b['node'] ?? '?');
          const who = `${host}@${String(b['version'] ?? '?')}`;
          k.byNode[who] = (k.byNode[who] ?? 0) + 1;
          if (id) posts.set(id, String(b['host'] ?? b['node']));
        }
      } catch (err) {
        fail(k, `${(err as NodeJS.ErrnoException).code ?? ''} ${(err as Error).message}`.trim());
      }
      if (isSlow) slow.push({ host, sentAt, answeredAt: Date.now() });
      if (pause > 0) await sleep(pause);
    }
  };

  const portalLoop = async (user: number): Promise<void> => {
    const k = kind('portal sticky https:443');
    const agent = new HttpsAgent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    const jar = new Map<string, string>();
    let node: string | null = null;
    while (running) {
      k.sent++;
      try {
        const cookie = [...jar].map(([n, v]) => `${n}=${v}`).join('; ');
        const a = await send(`https://${address}:${ports.portal}/devportal/apis`, agent, 'GET', null, cookie ? { cookie } : {}, 15_000);
        for (const c of [a.headers['set-cookie'] ?? []].flat()) {
          const [pair] = c.split(';');
          const eq = pair!.indexOf('=');
          if (eq > 0) jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
        }
        const b = parse(a.body);
        if (a.status !== 200) fail(k, `HTTP ${a.status}: ${a.body.slice(0, 120)}`);
        else {
          const served = String(b['node'] ?? '?');
          k.byNode[served] = (k.byNode[served] ?? 0) + 1;
          if (node !== null && b['resumed'] !== true) losses.push({ user, from: node, to: served, at: Date.now() });
          node = served;
          portalAt[user] = served;
        }
      } catch (err) {
        fail(k, `${(err as NodeJS.ErrnoException).code ?? ''} ${(err as Error).message}`.trim());
      }
      await sleep(Math.max(pause, 100));
    }
  };

  const loops: Promise<void>[] = [];
  for (const scheme of opts.schemes ?? ['http', 'https']) {
    const port = scheme === 'http' ? ports.http : ports.https;
    const url = `${scheme}://${address}:${port}/echo`;
    const keepAlive = scheme === 'http' ? new HttpAgent({ keepAlive: true }) : new HttpsAgent({ keepAlive: true });
    agents.push(keepAlive);
    for (let i = 0; i < (opts.loops ?? 1); i++) {
      loops.push(apiLoop(`GET keep-alive ${scheme}:${port}`, url, keepAlive, 'GET', 15_000));
      loops.push(apiLoop(`GET fresh ${scheme}:${port}`, url, false, 'GET', 15_000));
      loops.push(apiLoop(`POST keep-alive ${scheme}:${port}`, url, keepAlive, 'POST', 15_000));
      loops.push(apiLoop(`POST fresh ${scheme}:${port}`, url, false, 'POST', 15_000));
    }
    for (let i = 0; slowMs > 0 && i < (opts.slowLoops ?? 3); i++) {
      loops.push(apiLoop(`GET slow ${slowMs / 1000}s keep-alive ${scheme}:${port}`, `${url}?delay=${slowMs}`, keepAlive, 'GET', slowMs + 30_000, true));
    }
  }
  for (let u = 0; u < (opts.portalUsers ?? 4); u++) loops.push(portalLoop(u));

  const report = (): TrafficReport => {
    const all = Object.values(kinds);
    return {
      kinds: Object.fromEntries(Object.entries(kinds).map(([n, k]) => [n, { ...k, failures: [...k.failures], byNode: { ...k.byNode } }])),
      sent: all.reduce((n, k) => n + k.sent, 0),
      failed: all.reduce((n, k) => n + k.failed, 0),
      posts: new Map(posts), sessionLosses: [...losses], portalUsers: [...portalAt], slow: [...slow],
    };
  };
  return {
    progress: report,
    async stop() {
      running = false;
      await Promise.all(loops);
      for (const a of agents) a.destroy();
      return report();
    },
  };
}

/** One line per client kind: `GET keep-alive http:8280  sent 1234  failed 0`. */
export function formatTraffic(r: TrafficReport): string[] {
  const w = Math.max(...Object.keys(r.kinds).map((k) => k.length), 5);
  return [
    ...Object.entries(r.kinds).map(([n, k]) => `${n.padEnd(w)}  sent ${String(k.sent).padStart(6)}  failed ${k.failed}${k.failures.length ? `  (${k.failures.slice(0, 2).join('; ')})` : ''}`),
    `${'total'.padEnd(w)}  sent ${String(r.sent).padStart(6)}  failed ${r.failed}`,
  ];
}

/** Every failure line of every kind, for an assertion message. */
export const trafficFailures = (r: TrafficReport): string =>
  Object.entries(r.kinds).filter(([, k]) => k.failed > 0).map(([n, k]) => `${n}: ${k.failed} failed: ${k.failures.join('; ')}`).join('\n');

/**
 * Problems with the POSTs: an id the balancer delivered to nodes more or less than once, or one never answered.
 * `delivered` counts each id over every gateway's request log (postDeliveries).
 */
export function exactlyOnce(r: TrafficReport, delivered: ReadonlyMap<string, number>): string[] {
  const problems: string[] = [];
  for (const [id, node] of r.posts) {
    const n = delivered.get(id) ?? 0;
    if (n > 1) problems.push(`POST ${id} reached the nodes ${n} times`);
    if (node !== null && n === 0) problems.push(`POST ${id} was answered by ${node} but no node logged it`);
    if (node === null && n > 0) problems.push(`POST ${id} reached a node but its client got no answer`);
  }
  return problems;
}

/** Counts POST ids in request-log lines (`POST <id> <node> <version>`), as gathered from every gateway. */
export function countPostIds(logText: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of logText.split('\n')) {
    const [method, id] = line.split(' ');
    if (method === 'POST' && id) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}
