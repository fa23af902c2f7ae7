/**
 * The Publisher REST API's API collection, `POST` and `GET /api/am/publisher/v4/apis` on the servlet HTTPS port of a
 * control plane or all-in-one, backed by the node's apim_db (`AM_API`, created by dbscripts/apimgt). It is how a
 * test writes "data created on blue" through the product's own door and reads it back on green after a migration.
 *
 * Sources (rules/README.md, rules/sources.ts `publisherApi`, `publisherAuth`):
 * - path, verbs, codes and the `API` schema: wso2/carbon-apimgt components/apimgt/org.wso2.carbon.apimgt.rest.api.publisher.v1/
 *   src/main/resources/publisher-api.yaml (stored version 002d85a, the v2 document; the 4.x packs serve it under
 *   /api/am/publisher/v4): `POST /apis` answers 201 with the created `API` and a Location header, 400 Bad Request,
 *   415 Unsupported Media Type; `GET /apis` answers 200 with an `APIList` {count, list of APIInfo, pagination}
 *   (limit, offset). `API` requires `name` (1-60, no ~!@#;:%^*()+={}|\<>"',&$[]/), `context` (1-232) and `version`
 *   (1-30, none of those nor whitespace or /); `provider` defaults to the caller. A new API is `CREATED`.
 * - authentication: an OAuth2 bearer token (oauth2.ts) holding one of the scopes the operation lists
 *   (OPERATION_SCOPES, publisher-v4.yaml); 401 without a valid token, 403 without the scope. Basic is not taken, as
 *   the product by default does not (its REST API beans leave the BasicAuthenticationInterceptor commented out).
 * The error body shape {code, message, description} is the product's ErrorDTO; its exact descriptions are ours.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import pg from 'pg';
import { isPostgres, type DatabaseTarget } from './database-url.js';
import type { OAuth2Server } from './oauth2.js';
import type { Reply } from './sample-api.js';

export const PUBLISHER_APIS_PATH = '/api/am/publisher/v4/apis';
const MAX_BODY = 64 * 1024;
const NAME = /^[^~!@#;:%^*()+={}|\\<>"',&$[\]/]{1,60}$/;
const VERSION = /^[^~!@#;:%^*()+={}|\\<>"',&/$[\]\s]{1,30}$/;

export interface PublisherNode {
  readonly admin: { readonly username: string; readonly password: string };
  readonly databases: readonly DatabaseTarget[];
}

/** The scopes each operation lets in (publisher-v4.yaml `security` of `GET /apis` and `POST /apis`): any one of them. */
export const OPERATION_SCOPES = {
  GET: ['apim:api_view', 'apim:api_manage', 'apim:api_import_export', 'apim:api_list_view'],
  POST: ['apim:api_create', 'apim:api_manage'],
} as const;

const error = (reply: Reply, code: number, message: string, description: string): void =>
  reply(code, 'application/json', JSON.stringify({ code, message, description }));

export function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(null));
  });
}

/** What a posted `API` lacks or breaks, as the product's validation would report it; null when valid. */
export function apiProblem(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the request body is not an API object';
  const o = body as Record<string, unknown>;
  for (const field of ['name', 'context', 'version']) {
    if (o[field] === undefined || o[field] === null) return `${field} may not be null`;
    if (typeof o[field] !== 'string') return `${field} must be a string`;
  }
  if (!NAME.test(o['name'] as string)) return 'name: size must be between 1 and 60, without special characters';
  const context = o['context'] as string;
  if (context.length < 1 || context.length > 232) return 'context: size must be between 1 and 232';
  if (!VERSION.test(o['version'] as string)) return 'version: size must be between 1 and 30, without special characters or spaces';
  if (o['provider'] !== undefined && (typeof o['provider'] !== 'string' || o['provider'].length > 50)) return 'provider: size must be at most 50';
  return null;
}

async function withApimDb<T>(db: DatabaseTarget, work: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ host: db.host, port: db.port, database: db.database, user: db.user, password: db.password, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

interface ApiRow { api_uuid: string; api_name: string; context: string; api_version: string; api_provider: string; status: string | null; created_time: Date | null }

const info = (r: ApiRow) => ({
  id: r.api_uuid, name: r.api_name, context: r.context, version: r.api_version, provider: r.api_provider,
  type: 'HTTP', lifeCycleStatus: r.status ?? 'CREATED', createdTime: r.created_time ? r.created_time.toISOString() : null,
});

/** The handler for PUBLISHER_APIS_PATH on a ready publisher node. */
export function publisherApis(node: PublisherNode, oauth: OAuth2Server): (req: IncomingMessage, reply: Reply, setHeader: (name: string, value: string) => void) => void {
  return (req, reply, setHeader) => {
    void (async () => {
      if (req.method !== 'GET' && req.method !== 'POST') return error(reply, 405, 'Method Not Allowed', `${req.method ?? ''} is not allowed on ${PUBLISHER_APIS_PATH}`);
      const who = oauth.authorize(req.headers.authorization, OPERATION_SCOPES[req.method]);
      if ('status' in who) {
        for (const [name, value] of Object.entries(who.headers ?? {})) setHeader(name, value);
        return reply(who.status, 'application/json', JSON.stringify(who.body));
      }
      const user = who.user;
      const db = node.databases.find((d) => d.id === 'apim_db');
      if (!db || !isPostgres(db)) return error(reply, 500, 'Internal Server Error', 'the simulator keeps API records in a PostgreSQL apim_db only');
      if (req.method === 'GET') {
        const url = new URL(req.url ?? '/', 'https://x');
        const limit = Math.max(0, Number(url.searchParams.get('limit') ?? 25) || 25);
        const offset = Math.max(0, Number(url.searchParams.get('offset') ?? 0) || 0);
        const { rows, total } = await withApimDb(db, async (c) => ({
          rows: (await c.query<ApiRow>('SELECT api_uuid, api_name, context, api_version, api_provider, status, created_time FROM am_api ORDER BY api_id LIMIT $1 OFFSET $2', [limit, offset])).rows,
          total: Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM am_api')).rows[0]?.n ?? 0),
        }));
        return reply(200, 'application/json', JSON.stringify({ count: rows.length, list: rows.map(info), pagination: { offset, limit, total } }));
      }
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) return error(reply, 415, 'Unsupported Media Type', 'send the API as application/json');
      const text = await readBody(req);
      let body: unknown;
      try {
        body = text === null ? null : JSON.parse(text);
      } catch {
        body = null;
      }
      const problem = text === null ? 'the request body is too large' : apiProblem(body);
      if (problem) return error(reply, 400, 'Bad Request', problem);
      const o = body as Record<string, string>;
      const context = o['context']!.startsWith('/') ? o['context']! : `/${o['context']}`;
      const provider = o['provider'] ?? user;
      const row = await withApimDb(db, async (c) => {
        const clash = await c.query('SELECT 1 FROM am_api WHERE api_provider = $1 AND api_name = $2 AND api_version = $3', [provider, o['name'], o['version']]);
        if ((clash.rowCount ?? 0) > 0) return null;
        const inserted = await c.query<ApiRow>(
          `INSERT INTO am_api (api_uuid, api_provider, api_name, api_version, context, context_template, api_type, created_by, created_time, status)
           VALUES ($1, $2, $3, $4, $5, $5, 'HTTP', $6, now(), 'CREATED')
           RETURNING api_uuid, api_name, context, api_version, api_provider, status, created_time`,
          [randomUUID(), provider, o['name'], o['version'], context, user]);
        return inserted.rows[0]!;
      });
      // An API of the same provider, name and version exists (AM_API's unique key): the product answers 409 Conflict
      // (its handling was not traced beyond the unique key; the simulator's choice).
      if (!row) return error(reply, 409, 'Conflict', `an API named ${o['name']} ${o['version']} of ${provider} exists already`);
      setHeader('Location', `${PUBLISHER_APIS_PATH}/${row.api_uuid}`);
      return reply(201, 'application/json', JSON.stringify(info(row)));
    })().catch((err: unknown) => error(reply, 500, 'Internal Server Error', err instanceof Error ? err.message : String(err)));
  };
}
