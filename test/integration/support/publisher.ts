/**
 * The Publisher REST API as an operator's client calls it (publisher-v4.yaml "Authentication"): register a client
 * with the user's Basic credentials (DCR), get a token by the password grant with the scopes wanted, then call with
 * `Authorization: Bearer`. The lab's certificates are self-signed: not verified.
 */
import { request } from 'node:https';
import { BASE_SECRETS } from './inventory.js';

export interface PublisherAnswer { readonly status: number; readonly body: string }

export const PUBLISHER_APIS = '/api/am/publisher/v4/apis';

/** One HTTPS request with the given headers and body; rejects only when there is no answer. */
export function httpsCall(url: string, method: string, headers: Record<string, string>, body?: string): Promise<PublisherAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method, rejectUnauthorized: false, agent: false, timeout: 30_000,
      headers: { ...headers, ...(body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(body)) }) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer in 30 s`)));
    req.on('error', reject);
    req.end(body);
  });
}

const basic = (user: string, password: string): string => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A bearer token from the node at `base` (`https://host:9443`) for the user, holding `scope` (space separated). */
export async function publisherToken(base: string, user: string, password: string, scope: string): Promise<string> {
  const dcr = await httpsCall(`${base}/client-registration/v0.17/register`, 'POST', { Authorization: basic(user, password), 'Content-Type': 'application/json' },
    JSON.stringify({ clientName: 'apim-deploy-tests', owner: user, grantType: 'password refresh_token', saasApp: true }));
  if (dcr.status !== 200) throw new Error(`DCR on ${base} answered ${dcr.status}`);
  const client = JSON.parse(dcr.body) as { clientId: string; clientSecret: string };
  const tok = await httpsCall(`${base}/oauth2/token`, 'POST', { Authorization: basic(client.clientId, client.clientSecret), 'Content-Type': 'application/x-www-form-urlencoded' },
    new URLSearchParams({ grant_type: 'password', username: user, password, scope }).toString());
  if (tok.status !== 200) throw new Error(`the token endpoint of ${base} answered ${tok.status}`);
  return (JSON.parse(tok.body) as { access_token: string }).access_token;
}

/** GET or POST on the API collection with a bearer token (or, to see it refused, any Authorization header). */
export function publisherApis(base: string, method: 'GET' | 'POST', authorization: string | undefined, body?: unknown): Promise<PublisherAnswer> {
  const data = body === undefined ? undefined : JSON.stringify(body);
  return httpsCall(`${base}${PUBLISHER_APIS}`, method, { ...(authorization ? { Authorization: authorization } : {}), ...(data ? { 'Content-Type': 'application/json' } : {}) }, data);
}

export { basic as basicAuthorization };

/** The Publisher API of the node at `address` (port 9443) as the lab's admin, with a token holding view and create. */
export async function publisherCall(address: string, method: 'GET' | 'POST', body?: unknown): Promise<PublisherAnswer> {
  const base = `https://${address}:9443`;
  const token = await publisherToken(base, 'admin', BASE_SECRETS['ADMIN_PASSWORD']!, 'apim:api_view apim:api_create');
  return publisherApis(base, method, `Bearer ${token}`, body);
}

/** The ids of the API records a publisher lists. */
export const listedIds = (answer: { body: string }): string[] => (JSON.parse(answer.body) as { list: { id: string }[] }).list.map((a) => a.id);
