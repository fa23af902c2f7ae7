/**
 * The orchestrator's side of the Publisher REST API's OAuth2 (publisher-token.ts, api-records.ts) against the
 * simulator's token service (sim/component/oauth2.ts) through a fake node that plays curl: it reads curl's config
 * from stdin exactly as curl would (user, header, data lines) and answers with body, newline, status.
 */
import { describe, expect, it } from 'vitest';
import { OAuth2Server } from '../../../sim/component/oauth2.js';
import { OPERATION_SCOPES } from '../../../sim/component/publisher-api.js';
import { Secret } from '../../../src/model/secret.js';
import type { RenderedNode } from '../../../src/render/render-inventory.js';
import type { RemoteCommand, Transport } from '../../../src/transport/transport.js';
import { listApiRecords } from '../../../src/workflows/migrate/api-records.js';

const PASSWORD = 'pa"ss\\word with space&=';
const node = { host: 'aio-1', role: 'all-in-one', context: { ports: { https: 9443 }, vars: { admin_username: 'admin', admin_password: new Secret(PASSWORD, 'test') } } } as unknown as RenderedNode;
const LIST = { count: 1, list: [{ id: 'u-1', name: 'Probe', version: '1.0', provider: 'admin', createdTime: '2026-12-02T08:00:00.000Z' }] };

/** curl's config: `key = "quoted value"` lines, `\\` and `\"` escaped. */
function curlConfig(text: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const line of text.split('\n').filter(Boolean)) {
    const m = /^(\w+) = "((?:[^"\\]|\\.)*)"$/.exec(line);
    if (!m) throw new Error(`not curl config: ${line}`);
    (out[m[1]!] ??= []).push(m[2]!.replace(/\\(.)/g, '$1'));
  }
  return out;
}

function fakeNode(server: OAuth2Server, commands: RemoteCommand[], scopesOf: readonly string[] = OPERATION_SCOPES.GET): Transport {
  return {
    host: 'aio-1',
    exec: async (c: RemoteCommand) => {
      commands.push(c);
      const cfg = curlConfig(c.stdin instanceof Secret ? c.stdin.reveal() : String(c.stdin));
      const url = new URL(String(c.argv[c.argv.length - 1]));
      const header = (name: string) => cfg['header']?.find((h) => h.toLowerCase().startsWith(`${name.toLowerCase()}:`))?.slice(name.length + 1).trim();
      const basic = cfg['user'] ? `Basic ${Buffer.from(cfg['user'][0]!).toString('base64')}` : header('Authorization');
      const data = cfg['data']?.[0] ?? '';
      const answer = url.pathname === '/client-registration/v0.17/register' ? server.register(basic, header('Content-Type'), data)
        : url.pathname === '/oauth2/token' ? server.token(basic, header('Content-Type'), data)
          : (() => { const who = server.authorize(basic, scopesOf); return 'status' in who ? who : { status: 200, body: LIST }; })();
      return { exitCode: 0, signal: null, stdout: `${JSON.stringify(answer.body)}\n${answer.status}`, stderr: '', durationMs: 1 };
    },
  } as unknown as Transport;
}

describe('listing API records on a publisher node: DCR, password grant, then Bearer', () => {
  it('gets a token the way the product asks and lists with it; no secret in any argv', async () => {
    const commands: RemoteCommand[] = [];
    const server = new OAuth2Server({ username: 'admin', password: PASSWORD });
    expect(await listApiRecords(fakeNode(server, commands), node)).toEqual(LIST.list);
    expect(commands.map((c) => String(c.argv[c.argv.length - 1]))).toEqual([
      'https://127.0.0.1:9443/client-registration/v0.17/register', 'https://127.0.0.1:9443/oauth2/token',
      'https://127.0.0.1:9443/api/am/publisher/v4/apis?limit=1000&offset=0',
    ]);
    const argv = commands.flatMap((c) => c.argv.map(String)).join(' ');
    expect(argv).not.toContain('pa"ss');
    expect(argv).not.toMatch(/Bearer|Basic/);
    for (const c of commands) expect(c.stdin).toBeInstanceOf(Secret);
  });

  it('a refusal names the step and the OAuth2 error, never an answer that may carry a secret', async () => {
    const wrong = new OAuth2Server({ username: 'admin', password: 'other' });
    expect(await listApiRecords(fakeNode(wrong, []), node)).toBe('aio-1: client registration (POST /client-registration/v0.17/register) answered 401 Unauthorized');
    const noScope = await listApiRecords(fakeNode(new OAuth2Server({ username: 'admin', password: PASSWORD }), [], OPERATION_SCOPES.POST), node);
    expect(noScope).toMatch(/^aio-1: GET \/api\/am\/publisher\/v4\/apis answered 403/);
  });
});
