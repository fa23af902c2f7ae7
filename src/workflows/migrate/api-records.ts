import type { RenderedNode } from '../../render/render-inventory.js';
import type { Transport } from '../../transport/transport.js';
import { bearerConfig, curlOnNode, publisherToken } from './publisher-token.js';

/** One API as the Publisher REST API lists it (`APIInfo`). */
export interface ApiRecord {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly provider: string;
  readonly createdTime: string | null;
}

/** The publisher's API collection (publisher REST API v4, as the 4.x packs serve it). */
export const PUBLISHER_APIS = '/api/am/publisher/v4/apis';
const PAGE = 1000;

/** What listing needs (publisher-v4.yaml `GET /apis` security: any of these; apim:api_view is the narrowest read). */
const LIST_SCOPES = ['apim:api_view'];

/**
 * Every API record a publisher node (control plane or all-in-one) lists, read on the node itself with curl over its
 * transport (a node behind a bastion has no route from the controller). The super admin gets a token first
 * (publisher-token.ts: DCR, then the password grant); credentials, client secret and token go on curl's stdin,
 * never on a command line. A string instead: why the list could not be read.
 */
export async function listApiRecords(t: Transport, node: RenderedNode, signal?: AbortSignal): Promise<readonly ApiRecord[] | string> {
  const vars = node.context.vars;
  const port = node.context.ports['https'];
  if (port === undefined || !vars.admin_password) return `${node.host}/${node.role}: no HTTPS port or admin password to call its publisher API with`;
  const base = `https://127.0.0.1:${port}`;
  const token = await publisherToken(t, node.host, base, { username: String(vars.admin_username), password: vars.admin_password }, LIST_SCOPES, signal);
  if (typeof token === 'string') return token;
  const url = `${base}${PUBLISHER_APIS}?limit=${PAGE}&offset=0`;
  const r = await curlOnNode(t, node.host, url, bearerConfig(token), signal);
  if (typeof r === 'string') return r;
  const { status, body } = r;
  if (status !== '200') return `${node.host}: GET ${PUBLISHER_APIS} answered ${status}: ${body.slice(0, 200)}`;
  try {
    const list = (JSON.parse(body) as { list?: unknown }).list;
    if (!Array.isArray(list)) return `${node.host}: GET ${PUBLISHER_APIS} answered no list`;
    return list.map((a: Record<string, unknown>) => ({
      id: String(a['id']), name: String(a['name']), version: String(a['version']), provider: String(a['provider']),
      createdTime: typeof a['createdTime'] === 'string' ? a['createdTime'] : null,
    }));
  } catch {
    return `${node.host}: GET ${PUBLISHER_APIS} answered no JSON: ${body.slice(0, 200)}`;
  }
}

/**
 * The records blue held when the migration started (created before `since`, or of unknown time) that green lacks,
 * matched by id: the backup was taken after `since`, so each must be on green.
 */
export function missingOnGreen(blue: readonly ApiRecord[], green: readonly ApiRecord[], since: Date): ApiRecord[] {
  const have = new Set(green.map((a) => a.id));
  return blue.filter((a) => {
    const created = createdAt(a.createdTime);
    return (created === null || created <= since.getTime()) && !have.has(a.id);
  });
}

/**
 * A record's creation time in ms, or null when it cannot be read. `createdTime` is a string whose format the sources
 * we have do not pin (epoch milliseconds or a date): both are read, and anything else counts as unknown, so the
 * record is checked rather than skipped.
 */
function createdAt(text: string | null): number | null {
  if (text === null) return null;
  const ms = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}
