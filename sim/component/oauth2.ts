/**
 * The token service in front of the product's REST APIs, as the Publisher REST API's own document walks a client
 * through it (rules/README.md "Publisher REST API: OAuth2", rules/sources.ts `publisherOAuth`):
 * 1. `POST /client-registration/v0.17/register` with `Authorization: Basic` of a user and a JSON body
 *    (clientName, owner, grantType, saasApp, callbackUrl) answers `clientId` and `clientSecret`;
 * 2. `POST /oauth2/token`, form encoded, `grant_type=password&username&password&scope=<space separated>`, with the
 *    client's id and secret as `Authorization: Basic`, answers `access_token`, `scope`, `token_type: Bearer`,
 *    `expires_in`;
 * 3. the REST API with `Authorization: Bearer <access_token>`; each operation names the scopes that let it in.
 * Clients and tokens live in this process (the product keeps them in its database, so any control plane honours
 * them: the simulator's are honoured by the node that issued them only). The super admin is the only user and is
 * granted every scope it asks for (the product grants a scope by the user's roles, tenant-conf.json's role mapping;
 * the admin role holds the publisher's). Error codes follow RFC 6749 §5.2 and RFC 6750 §3.1 (401 invalid_token, 403
 * insufficient_scope); the product's own error bodies for the REST API were not traced.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';

export const DCR_PATH = '/client-registration/v0.17/register';
export const TOKEN_PATH = '/oauth2/token';
const TOKEN_LIFETIME_S = 3600;

export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly headers?: Readonly<Record<string, string>>;
}

interface Client { readonly id: string; readonly secret: string; readonly grantTypes: readonly string[] }
interface Token { readonly user: string; readonly scopes: readonly string[]; readonly expires: number }

const opaque = (): string => randomBytes(18).toString('base64url');
const same = (a: string, b: string): boolean => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** The `user:password` pair of `Authorization: Basic`, or null. */
export function basicPair(authorization: string | undefined): { user: string; password: string } | null {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/.exec(authorization ?? '');
  if (!m) return null;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? null : { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

const oauthError = (status: number, error: string, description: string, headers?: Record<string, string>): Answer =>
  ({ status, body: { error, error_description: description }, ...(headers ? { headers } : {}) });

/** One node's OAuth2 clients and tokens. */
export class OAuth2Server {
  private readonly clients = new Map<string, Client>();
  private readonly tokens = new Map<string, Token>();

  constructor(private readonly admin: { readonly username: string; readonly password: string }, private readonly now: () => number = Date.now) {}

  private isAdmin(user: string, password: string): boolean {
    return same(user, this.admin.username) && same(password, this.admin.password);
  }

  /** DCR: a user (Basic) registers a client; the answer carries its id and secret. */
  register(authorization: string | undefined, contentType: string | undefined, text: string): Answer {
    const who = basicPair(authorization);
    if (!who || !this.isAdmin(who.user, who.password)) return { status: 401, body: { code: 401, message: 'Unauthorized', description: 'give a user with Authorization: Basic' } };
    if (!/^application\/json\b/i.test(contentType ?? '')) return { status: 415, body: { code: 415, message: 'Unsupported Media Type', description: 'send the registration as application/json' } };
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return { status: 400, body: { code: 400, message: 'Bad Request', description: 'the body is not JSON' } };
    }
    if (typeof body['clientName'] !== 'string' || body['clientName'] === '') return { status: 400, body: { code: 400, message: 'Bad Request', description: 'clientName is required' } };
    const grantTypes = typeof body['grantType'] === 'string' ? body['grantType'].split(/\s+/).filter(Boolean) : [];
    const client: Client = { id: opaque(), secret: opaque(), grantTypes };
    this.clients.set(client.id, client);
    return {
      status: 200,
      body: {
        clientId: client.id, clientSecret: client.secret, clientName: body['clientName'], callBackURL: body['callbackUrl'] ?? null,
        isSaasApplication: body['saasApp'] === true, appOwner: typeof body['owner'] === 'string' ? body['owner'] : who.user,
      },
    };
  }

  /** The token endpoint, password grant: the client by Basic, the user and scopes in the form. */
  token(authorization: string | undefined, contentType: string | undefined, text: string): Answer {
    const creds = basicPair(authorization);
    const client = creds ? this.clients.get(creds.user) : undefined;
    if (!creds || !client || !same(creds.password, client.secret)) return oauthError(401, 'invalid_client', 'Client Authentication failed.', { 'WWW-Authenticate': 'Basic' });
    if (!/^application\/x-www-form-urlencoded\b/i.test(contentType ?? '')) return oauthError(400, 'invalid_request', 'send the token request form encoded');
    const form = new URLSearchParams(text);
    const grant = form.get('grant_type');
    if (grant !== 'password') return oauthError(400, 'unsupported_grant_type', `grant type ${grant ?? '(none)'} is not supported here`);
    if (!client.grantTypes.includes('password')) return oauthError(400, 'unauthorized_client', 'the client was not registered for the password grant');
    if (!this.isAdmin(form.get('username') ?? '', form.get('password') ?? '')) return oauthError(400, 'invalid_grant', 'Authentication failed for the user');
    const scopes = [...new Set((form.get('scope') ?? '').split(/\s+/).filter(Boolean))];
    const access = opaque();
    this.tokens.set(access, { user: this.admin.username, scopes, expires: this.now() + TOKEN_LIFETIME_S * 1000 });
    return { status: 200, body: { access_token: access, refresh_token: opaque(), scope: scopes.join(' '), token_type: 'Bearer', expires_in: TOKEN_LIFETIME_S } };
  }

  /**
   * Who a request is, when its bearer token is valid and holds one of the scopes the operation lists; else the
   * answer to send: 401 without or with an unknown or expired token, 403 with a token lacking the scope.
   */
  authorize(authorization: string | undefined, anyOf: readonly string[]): { readonly user: string } | Answer {
    const m = /^Bearer\s+(\S+)$/.exec(authorization ?? '');
    const token = m ? this.tokens.get(m[1]!) : undefined;
    if (!token || token.expires <= this.now()) {
      return { status: 401, body: { code: 900901, message: 'Invalid Credentials', description: 'Make sure you have provided the correct security credentials (an OAuth2 bearer token)' }, headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' } };
    }
    if (!anyOf.some((s) => token.scopes.includes(s))) {
      return { status: 403, body: { code: 900910, message: 'The access token does not allow you to access the requested resource', description: `needs one of the scopes ${anyOf.join(', ')}` }, headers: { 'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${anyOf.join(' ')}"` } };
    }
    return { user: token.user };
  }
}
