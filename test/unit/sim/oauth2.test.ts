import { describe, expect, it } from 'vitest';
import { OAuth2Server } from '../../../sim/component/oauth2.js';
import { OPERATION_SCOPES } from '../../../sim/component/publisher-api.js';

const ADMIN = { username: 'admin', password: 's3cret' };
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const DCR_BODY = JSON.stringify({ clientName: 'apim-deploy', owner: 'admin', grantType: 'password refresh_token', saasApp: true });
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

function registered(server: OAuth2Server, body = DCR_BODY): { id: string; secret: string } {
  const a = server.register(basic('admin', 's3cret'), 'application/json', body);
  expect(a.status).toBe(200);
  return { id: String(a.body['clientId']), secret: String(a.body['clientSecret']) };
}
function token(server: OAuth2Server, scope: string, client = registered(server)): string {
  const a = server.token(basic(client.id, client.secret), 'application/x-www-form-urlencoded', form({ grant_type: 'password', username: 'admin', password: 's3cret', scope }));
  expect(a.status, JSON.stringify(a.body)).toBe(200);
  expect(a.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope });
  return String(a.body['access_token']);
}

describe('sim OAuth2 in front of the Publisher REST API (publisher-v4.yaml "Authentication")', () => {
  it('DCR needs a user by Basic and a JSON body with clientName; answers clientId and clientSecret', () => {
    const s = new OAuth2Server(ADMIN);
    expect(s.register(undefined, 'application/json', DCR_BODY).status).toBe(401);
    expect(s.register(basic('admin', 'wrong'), 'application/json', DCR_BODY).status).toBe(401);
    expect(s.register(basic('admin', 's3cret'), 'text/plain', DCR_BODY).status).toBe(415);
    expect(s.register(basic('admin', 's3cret'), 'application/json', '{"owner":"admin"}').status).toBe(400);
    const c = registered(s);
    expect(c.id).not.toBe(c.secret);
  });

  it('the token endpoint wants the client by Basic, the password grant the client registered for and the user', () => {
    const s = new OAuth2Server(ADMIN);
    const c = registered(s);
    const ask = (auth: string, fields: Record<string, string>) => s.token(auth, 'application/x-www-form-urlencoded', form(fields));
    const ok = { grant_type: 'password', username: 'admin', password: 's3cret', scope: 'apim:api_view' };
    expect(ask(basic(c.id, 'nope'), ok)).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(ask(basic('admin', 's3cret'), ok)).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect(ask(basic(c.id, c.secret), { ...ok, password: 'x' })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect(ask(basic(c.id, c.secret), { ...ok, grant_type: 'client_credentials' })).toMatchObject({ status: 400, body: { error: 'unsupported_grant_type' } });
    const noPassword = registered(s, JSON.stringify({ clientName: 'x', grantType: 'refresh_token' }));
    expect(ask(basic(noPassword.id, noPassword.secret), ok)).toMatchObject({ status: 400, body: { error: 'unauthorized_client' } });
    expect(ask(basic(c.id, c.secret), ok).status).toBe(200);
  });

  it('a bearer token lets in the operations whose scopes it holds: 401 without or with an unknown token, 403 without the scope', () => {
    const s = new OAuth2Server(ADMIN);
    const view = token(s, 'apim:api_view');
    const both = token(s, 'apim:api_view apim:api_create');
    expect(s.authorize(undefined, OPERATION_SCOPES.GET)).toMatchObject({ status: 401 });
    expect(s.authorize(basic('admin', 's3cret'), OPERATION_SCOPES.GET)).toMatchObject({ status: 401 });
    expect(s.authorize('Bearer not-issued', OPERATION_SCOPES.GET)).toMatchObject({ status: 401 });
    expect(s.authorize(`Bearer ${view}`, OPERATION_SCOPES.GET)).toEqual({ user: 'admin' });
    expect(s.authorize(`Bearer ${view}`, OPERATION_SCOPES.POST)).toMatchObject({ status: 403, body: { code: 900910 } });
    expect(s.authorize(`Bearer ${both}`, OPERATION_SCOPES.POST)).toEqual({ user: 'admin' });
  });

  it('a token expires after its lifetime', () => {
    let now = 1_000_000;
    const s = new OAuth2Server(ADMIN, () => now);
    const t = token(s, 'apim:api_view');
    now += 3_599_000;
    expect(s.authorize(`Bearer ${t}`, OPERATION_SCOPES.GET)).toEqual({ user: 'admin' });
    now += 1_000;
    expect(s.authorize(`Bearer ${t}`, OPERATION_SCOPES.GET)).toMatchObject({ status: 401 });
  });
});
