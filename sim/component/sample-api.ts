/**
 * The sample API's `/echo` resource as a client of a gateway sees it. Not a rule of the product (nothing here is
 * enforced): it stands for an API whose backend answers, so load through a balancer can tell what happened.
 * - GET names the node and version that served it (as before).
 * - POST echoes the `id` of its JSON body, as a backend echo service returns the payload it was sent.
 * - `?delay=MS` (at most 60 s) holds the answer, as a slow backend behind the API would.
 * Every answered request is appended to the node's request log (the stand-in for the backend's access log), one
 * line `<method> <id> <node> <version>`, so a test can prove each POST reached one node exactly once. A backend keeps
 * its access log on its own machine, so the log is not on the gateway's install disk: a gateway whose /opt is full
 * still answers (its own log lines are dropped, log.ts), and the record of what it answered must not be lost with them.
 */
import { appendFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { hostname as osHostname } from 'node:os';

const MAX_DELAY_MS = 60_000;
const MAX_BODY = 64 * 1024;

export interface EchoNode {
  readonly nodeName: string;
  readonly version: string;
  /** WSO2 Updates level of the pack (0: as released). */
  readonly updateLevel?: number;
  readonly component: string;
  /** Absolute path of the request log; undefined: not kept. */
  readonly requestLog?: string;
}

export type Reply = (status: number, type: string, body: string) => void;

/** Where every request log's path starts (echoRequestLog): `${prefix}*.log` names them all. */
export const ECHO_REQUEST_LOG_PREFIX = '/var/tmp/apim-sim-echo-requests';

/**
 * The request log of the node installed at `carbonHome`: one file per install in /var/tmp (world-writable and sticky,
 * so each service user creates its own; every lab host has its own /var), named after the path so two nodes on one
 * machine never share one.
 */
export function echoRequestLog(carbonHome: string): string {
  return `${ECHO_REQUEST_LOG_PREFIX}${carbonHome.replace(/[^A-Za-z0-9.-]/g, '_')}.log`;
}

export function delayOf(url: string | undefined): number {
  const v = Number(new URL(url ?? '/', 'http://x').searchParams.get('delay') ?? 0);
  return Number.isFinite(v) && v > 0 ? Math.min(v, MAX_DELAY_MS) : 0;
}

/** The `id` of a JSON body (a string or number), or null. */
export function idOf(body: string): string | null {
  try {
    const id = (JSON.parse(body) as { id?: unknown }).id;
    return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
  } catch {
    return null;
  }
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
      if (body.length > MAX_BODY) req.destroy();
    });
    req.on('end', () => resolve(body));
    req.on('error', () => resolve(null));
    req.on('close', () => resolve(req.complete ? body : null));
  });
}

/** Answers GET and POST /echo once the gateway serves the API; anything else is 405, as a resource without that verb. */
export async function answerEcho(req: IncomingMessage, res: ServerResponse, node: EchoNode, reply: Reply): Promise<void> {
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'POST') return reply(405, 'application/json', '{"error":"Method not allowed for this resource"}');
  const body = method === 'POST' ? await readBody(req) : '';
  if (body === null) return;
  const id = method === 'POST' ? idOf(body) : null;
  if (method === 'POST' && id === null) return reply(400, 'application/json', '{"error":"body must be JSON with an id"}');
  const delay = delayOf(req.url);
  if (delay > 0) await new Promise((r) => setTimeout(r, delay));
  if (res.destroyed) return;
  if (node.requestLog) recordAnswer(node.requestLog, `${method} ${id ?? '-'} ${node.nodeName} ${node.version}\n`);
  reply(200, 'application/json', JSON.stringify({ host: osHostname(), node: node.nodeName, version: node.version, updateLevel: node.updateLevel ?? 0, component: node.component, ...(id === null ? {} : { id }) }));
}

/** A record that cannot be written is said on stderr; the client still gets its answer, as from a real backend. */
function recordAnswer(file: string, line: string): void {
  try {
    appendFileSync(file, line);
  } catch (err) {
    try {
      process.stderr.write(`request log ${file}: ${String(err)}: ${line}`);
    } catch {
      // stderr gone: the answer still goes out
    }
  }
}
