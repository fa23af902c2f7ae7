import { Secret } from '../../model/secret.js';
import type { Transport } from '../../transport/transport.js';

/**
 * How a client gets into the product's REST APIs (publisher-v4.yaml "Authentication"): register a client with the
 * user's Basic credentials (DCR), then ask the token endpoint for a token with the scopes the operation needs
 * (password grant, the client's id and secret as Basic), then call with `Authorization: Bearer`. Everything runs on
 * the node with curl; every credential, the client's secret and the token travel in curl's config on its stdin
 * (`--config -`), never in argv, and no answer that carries one is ever quoted in a message.
 */
export const DCR_PATH = '/client-registration/v0.17/register';
export const TOKEN_PATH = '/oauth2/token';

/** curl's config syntax for a quoted value: backslash and double quote escaped. */
export const curlQuoted = (text: string): string => `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

export interface CurlAnswer { readonly status: string; readonly body: string }

/**
 * One HTTPS call on the node to its own servlet port; `config` is curl config text (user, header, data lines) and
 * goes on stdin. A string instead: why curl failed (its last stderr line; no secret is on it).
 */
export async function curlOnNode(t: Transport, host: string, url: string, config: Secret, signal?: AbortSignal): Promise<CurlAnswer | string> {
  // -k: the node's own TLS certificate, called on its loopback address (its name is not what the certificate says).
  const r = await t.exec({ argv: ['curl', '-sS', '-k', '--max-time', '30', '--config', '-', '-w', '\n%{http_code}', '--', url], stdin: config }, signal);
  if (r.exitCode !== 0) return `${host}: curl ${url} exit ${r.exitCode}: ${r.stderr.trim().split('\n').slice(-1)[0] ?? ''}`;
  const cut = r.stdout.lastIndexOf('\n');
  return { status: r.stdout.slice(cut + 1).trim(), body: r.stdout.slice(0, cut) };
}

/** The OAuth2 error code of a refusal (RFC 6749 §5.2 `error`), never its body: a body may echo what was sent. */
const refusal = (a: CurlAnswer): string => {
  try {
    const parsed = JSON.parse(a.body) as { error?: unknown; message?: unknown };
    const e = parsed.error ?? parsed.message;
    return typeof e === 'string' ? `${a.status} ${e}` : a.status;
  } catch {
    return a.status;
  }
};

/**
 * A bearer token for the user on the node at `base` (`https://127.0.0.1:<port>`), holding `scopes`. A string
 * instead: which step refused and how.
 */
export async function publisherToken(
  t: Transport, host: string, base: string, user: { readonly username: string; readonly password: Secret }, scopes: readonly string[], signal?: AbortSignal,
): Promise<Secret | string> {
  const origin = `a token for ${user.username} on ${host}`;
  const registration = JSON.stringify({ clientName: 'apim-deploy', owner: user.username, grantType: 'password refresh_token', saasApp: true });
  const dcr = await curlOnNode(t, host, `${base}${DCR_PATH}`, new Secret(
    `user = ${curlQuoted(`${user.username}:${user.password.reveal()}`)}\nheader = "Content-Type: application/json"\ndata = ${curlQuoted(registration)}\n`, origin), signal);
  if (typeof dcr === 'string') return dcr;
  if (dcr.status !== '200' && dcr.status !== '201') return `${host}: client registration (POST ${DCR_PATH}) answered ${refusal(dcr)}`;
  let client: { clientId?: unknown; clientSecret?: unknown };
  try {
    client = JSON.parse(dcr.body) as typeof client;
  } catch {
    return `${host}: client registration answered no JSON`;
  }
  if (typeof client.clientId !== 'string' || typeof client.clientSecret !== 'string') return `${host}: client registration answered no clientId/clientSecret`;
  const form = new URLSearchParams({ grant_type: 'password', username: user.username, password: user.password.reveal(), scope: scopes.join(' ') }).toString();
  const tok = await curlOnNode(t, host, `${base}${TOKEN_PATH}`, new Secret(
    `user = ${curlQuoted(`${client.clientId}:${client.clientSecret}`)}\nheader = "Content-Type: application/x-www-form-urlencoded"\ndata = ${curlQuoted(form)}\n`, origin), signal);
  if (typeof tok === 'string') return tok;
  if (tok.status !== '200') return `${host}: token request (POST ${TOKEN_PATH}) answered ${refusal(tok)}`;
  try {
    const access = (JSON.parse(tok.body) as { access_token?: unknown }).access_token;
    return typeof access === 'string' && access !== '' ? new Secret(access, origin) : `${host}: the token endpoint answered no access_token`;
  } catch {
    return `${host}: the token endpoint answered no JSON`;
  }
}

/** curl config for a call with the token. */
export const bearerConfig = (token: Secret): Secret => new Secret(`header = ${curlQuoted(`Authorization: Bearer ${token.reveal()}`)}\n`, token.origin);
