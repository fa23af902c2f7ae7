/**
 * The gateway's WebSocket inbound endpoints, 9099 (ws) and 8099 (wss): the RFC 6455 opening handshake, one text
 * frame naming the node, and the closing handshake. Ports, protocols and the wss key come from the packs'
 * synapse-configs/default/inbound-endpoints/{WebSocketInboundEndpoint,SecureWebSocketInboundEndpoint}.xml and
 * default.json (sources.ts: gatewayWsEndpoints). Which requests the gateway upgrades is decided by the caller
 * (http-handlers.ts); the refusal statuses there are the simulator's own.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** RFC 6455 section 1.3: the GUID appended to Sec-WebSocket-Key before hashing. */
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const OP_TEXT = 0x1;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;
/** RFC 6455 section 7.4.1: the endpoint is going away (server shutdown). */
const GOING_AWAY = 1001;

export const acceptKey = (key: string): string => createHash('sha1').update(key + GUID).digest('base64');

/** One unmasked, final server frame (RFC 6455 section 5.2; servers never mask). */
export function serverFrame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  if (len > 0xffff) throw new Error('frame too long for the simulator');
  const head = len < 126 ? Buffer.from([0x80 | opcode, len]) : Buffer.from([0x80 | opcode, 126, len >> 8, len & 0xff]);
  return Buffer.concat([head, payload]);
}

const closeFrame = (code: number): Buffer => serverFrame(OP_CLOSE, Buffer.from([code >> 8, code & 0xff]));

/** Why a request is not a valid opening handshake (RFC 6455 section 4.2.1), as an HTTP status; null: it is. */
export function handshakeProblem(req: IncomingMessage): { status: number; reason: string; headers?: Record<string, string> } | null {
  if (req.method !== 'GET') return { status: 400, reason: 'Bad Request' };
  if (!/\bwebsocket\b/i.test(req.headers.upgrade ?? '')) return { status: 400, reason: 'Bad Request' };
  if (req.headers['sec-websocket-version'] !== '13') {
    return { status: 426, reason: 'Upgrade Required', headers: { 'Sec-WebSocket-Version': '13' } };
  }
  const key = req.headers['sec-websocket-key'] ?? '';
  if (Buffer.from(key, 'base64').length !== 16) return { status: 400, reason: 'Bad Request' };
  return null;
}

/** A plain HTTP answer on a socket that asked to upgrade, then close it. */
export function refuse(socket: Duplex, status: number, reason: string, body: string, headers: Record<string, string> = {}): void {
  const lines = [`HTTP/1.1 ${status} ${reason}`, 'Content-Type: text/plain', `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close'];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  socket.on('error', () => undefined);
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

/** Reads masked client frames (RFC 6455 section 5.2) and answers close and ping; data frames are ignored. */
function readClientFrames(socket: Duplex, first: Buffer): void {
  let buf = first;
  const consume = (): void => {
    while (buf.length >= 2) {
      const opcode = buf[0]! & 0x0f;
      const masked = (buf[1]! & 0x80) !== 0;
      let len = buf[1]! & 0x7f;
      let at = 2;
      if (len === 126) { if (buf.length < 4) return; len = buf.readUInt16BE(2); at = 4; }
      else if (len === 127) { if (buf.length < 10) return; len = Number(buf.readBigUInt64BE(2)); at = 10; }
      const mask = masked ? buf.subarray(at, at + 4) : null;
      at += masked ? 4 : 0;
      if (buf.length < at + len) return;
      const payload = Buffer.from(buf.subarray(at, at + len));
      if (mask) for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
      buf = buf.subarray(at + len);
      if (opcode === OP_CLOSE) { socket.end(serverFrame(OP_CLOSE, payload.subarray(0, 2))); return; }
      if (opcode === OP_PING) socket.write(serverFrame(OP_PONG, payload));
    }
  };
  socket.on('data', (chunk: Buffer) => { buf = Buffer.concat([buf, chunk]); consume(); });
  consume();
}

/** What a listener does with upgrade requests, and how it closes the connections it handed over on shutdown. */
export interface Upgrades {
  handle(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  closeAll(deadlineMs: number): void;
}

/** The upgraded connections of one listener, so shutdown can close them (the HTTP server no longer tracks them). */
export class WebSocketSessions {
  private readonly sockets = new Set<Duplex>();

  /** Completes the handshake, sends `greeting` as one text frame and keeps the connection until either side closes. */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer, greeting: string): void {
    const key = req.headers['sec-websocket-key'] ?? '';
    this.sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => this.sockets.delete(socket));
    // An HTTP server's sockets allow half-open connections: a client gone without a close frame ends ours too.
    socket.on('end', () => socket.end());
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
      `Sec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`,
    );
    socket.write(serverFrame(OP_TEXT, Buffer.from(greeting)));
    readClientFrames(socket, head);
  }

  /** Sends each client a close frame (going away) and ends it; whatever is still open at the deadline is dropped. */
  closeAll(deadlineMs: number): void {
    for (const s of this.sockets) s.end(closeFrame(GOING_AWAY));
    if (this.sockets.size === 0) return;
    setTimeout(() => { for (const s of this.sockets) s.destroy(); }, deadlineMs).unref();
  }

  get size(): number {
    return this.sockets.size;
  }
}
