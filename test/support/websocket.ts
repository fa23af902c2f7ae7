/**
 * A WebSocket client for tests (Node 20 has none): the RFC 6455 opening handshake over http/https.request, the
 * server's unmasked frames, and a masked close frame from our side. For every test tier (needs nothing).
 */
import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';

export interface Frame {
  readonly opcode: number;
  readonly payload: Buffer;
}

export type WebSocketAnswer =
  /** Upgraded: `frames` keeps filling while the connection lives; `ended` resolves when the server closed it. */
  | { readonly upgraded: true; readonly status: 101; readonly headers: IncomingHttpHeaders; readonly key: string; readonly frames: Frame[]; readonly ended: Promise<void>; close(): void }
  /** Refused: an ordinary HTTP answer (status 0: none at all, see `error`). */
  | { readonly upgraded: false; readonly status: number; readonly headers: IncomingHttpHeaders; readonly body: string; readonly error?: string };

export interface ConnectOptions {
  /** Trust anchors for wss (PEM); without them wss checks nothing. */
  readonly ca?: string | Buffer;
  readonly timeoutMs?: number;
  /** Headers over the handshake's, e.g. a wrong Sec-WebSocket-Version. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Splits `buf` into complete unmasked frames; returns the rest. */
function readFrames(buf: Buffer, out: Frame[]): Buffer {
  while (buf.length >= 2) {
    let len = buf[1]! & 0x7f;
    let at = 2;
    if (len === 126) {
      if (buf.length < 4) break;
      len = buf.readUInt16BE(2);
      at = 4;
    }
    if (buf.length < at + len) break;
    out.push({ opcode: buf[0]! & 0x0f, payload: Buffer.from(buf.subarray(at, at + len)) });
    buf = buf.subarray(at + len);
  }
  return buf;
}

/** A masked close frame with status 1000 (RFC 6455 section 5.3: clients mask every frame). */
function clientClose(): Buffer {
  const mask = randomBytes(4);
  const payload = Buffer.from([0x03, 0xe8]).map((b, i) => b ^ mask[i % 4]!);
  return Buffer.concat([Buffer.from([0x88, 0x80 | 2]), mask, payload]);
}

/** Opens `url` (http: or https:, the WebSocket path on it) with an upgrade request; never rejects. */
export function websocketConnect(url: string, opts: ConnectOptions = {}): Promise<WebSocketAnswer> {
  const key = randomBytes(16).toString('base64');
  const secure = url.startsWith('https:');
  const headers = { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': key, ...opts.headers };
  const timeout = opts.timeoutMs ?? 10_000;
  return new Promise((resolve) => {
    const req = (secure ? httpsRequest : httpRequest)(url, {
      headers, agent: false, timeout, ...(secure ? { ca: opts.ca, rejectUnauthorized: opts.ca !== undefined } : {}),
    });
    req.on('upgrade', (res, socket: Duplex, head: Buffer) => {
      const frames: Frame[] = [];
      let rest = readFrames(head, frames);
      socket.on('data', (chunk: Buffer) => { rest = readFrames(Buffer.concat([rest, chunk]), frames); });
      socket.on('error', () => undefined);
      const ended = new Promise<void>((done) => socket.on('close', () => done()));
      const close = (): void => { socket.end(clientClose()); };
      resolve({ upgraded: true, status: 101, headers: res.headers, key, frames, ended, close });
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ upgraded: false, status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer in ${timeout} ms`), { code: 'ETIMEDOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ upgraded: false, status: 0, headers: {}, body: '', error: err.code ?? err.message }));
    req.end();
  });
}
