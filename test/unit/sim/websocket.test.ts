import { afterEach, describe, expect, it } from 'vitest';
import { websocketHandler, websocketUpgrades, type NodeState } from '../../../sim/component/http-handlers.js';
import { openHttp, type Listener } from '../../../sim/component/listeners.js';
import { portsFor } from '../../../sim/component/ports.js';
import { acceptKey } from '../../../sim/component/websocket.js';
import { WEBSOCKET_SOURCES } from '../../../sim/rules/defaults.js';
import { SOURCES } from '../../../sim/rules/sources.js';
import { waitFor } from '../../support/wait.js';
import { websocketConnect, type WebSocketAnswer } from '../../support/websocket.js';

/** A gateway's 9099 on a loopback port of its own: real sockets, the node's state set by each test. */
const state = (over: Partial<NodeState> = {}): NodeState => ({
  ready: true, draining: false, product: 'WSO2 Universal Gateway', version: '4.6.0', component: 'gateway',
  nodeName: 'gw-7', environments: [], apis: ['echo'], ...over,
});

let listener: Listener | undefined;
afterEach(async () => { await listener?.close(1000); listener = undefined; });

async function gateway(s: NodeState): Promise<string> {
  listener = await openHttp(0, '127.0.0.1', websocketHandler(s), undefined, websocketUpgrades(s));
  return `http://127.0.0.1:${listener.port}`;
}

function upgraded(a: WebSocketAnswer): Extract<WebSocketAnswer, { upgraded: true }> {
  if (!a.upgraded) throw new Error(`not upgraded: ${a.status} ${a.error ?? a.body}`);
  return a;
}

describe('WebSocket inbound endpoints (sim/component/websocket.ts)', () => {
  it('listen on 9099 and 8099 shifted by the port offset, as the packs ship them', () => {
    expect(portsFor('gateway', 1)).toMatchObject({ websocket: 9100, websocketSecure: 8100 });
    expect(portsFor('all-in-one', 0)).toMatchObject({ websocket: 9099, websocketSecure: 8099 });
    expect(portsFor('control-plane', 0)).not.toHaveProperty('websocketSecure');
    for (const s of WEBSOCKET_SOURCES) expect(SOURCES[s]).toBeTruthy();
  });

  it('computes Sec-WebSocket-Accept as RFC 6455 section 1.3\'s example does', () => {
    expect(acceptKey('dGhlIHNhbXBsZSBub25jZQ==')).toBe('s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  });

  it('upgrades /echo once ready and deployed: 101, the accept key, one text frame naming the node', async () => {
    const ws = upgraded(await websocketConnect(`${await gateway(state())}/echo`));
    expect(ws.headers['sec-websocket-accept']).toBe(acceptKey(ws.key));
    expect(ws.headers['upgrade']).toBe('websocket');
    await waitFor('the first frame', () => ws.frames.length > 0);
    expect(ws.frames[0]!.opcode).toBe(0x1);
    expect(JSON.parse(ws.frames[0]!.payload.toString())).toMatchObject({ node: 'gw-7', version: '4.6.0', component: 'gateway' });
    ws.close();
    await ws.ended;
    expect(ws.frames.at(-1)).toEqual({ opcode: 0x8, payload: Buffer.from([0x03, 0xe8]) });
  });

  it('refuses without upgrading: another path, a node not ready, the API not deployed here, a wrong version', async () => {
    const ready = await gateway(state());
    expect(await websocketConnect(`${ready}/other`)).toMatchObject({ upgraded: false, status: 404 });
    const version = await websocketConnect(`${ready}/echo`, { headers: { 'Sec-WebSocket-Version': '8' } });
    expect(version).toMatchObject({ upgraded: false, status: 426 });
    expect(version.headers['sec-websocket-version']).toBe('13');
    await listener!.close(1000);
    expect(await websocketConnect(`${await gateway(state({ ready: false }))}/echo`)).toMatchObject({ upgraded: false, status: 503 });
    await listener!.close(1000);
    expect(await websocketConnect(`${await gateway(state({ apis: [] }))}/echo`)).toMatchObject({ upgraded: false, status: 404 });
  });

  it('keeps GET /health', async () => {
    const base = await gateway(state());
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
  });

  it('closes upgraded connections on shutdown with a going-away close frame', async () => {
    const ws = upgraded(await websocketConnect(`${await gateway(state())}/echo`));
    await waitFor('the first frame', () => ws.frames.length > 0);
    const started = Date.now();
    await listener!.close(30_000);
    listener = undefined;
    await ws.ended;
    expect(ws.frames.at(-1)).toEqual({ opcode: 0x8, payload: Buffer.from([0x03, 0xe9]) });
    console.log(`listener closed ${Date.now() - started} ms after shutdown began (a figure, not a check)`);
  });
});
