/**
 * Opens the component's ports and closes them gracefully: stop accepting, let in-flight requests finish, end
 * keep-alive connections, then give up on stragglers after a deadline.
 */
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Handler } from './http-handlers.js';
import type { Upgrades } from './websocket.js';

/** The key and certificate chain of the node's [keystore.tls], read by the lab JDK (jsse.ts). */
export interface TlsMaterial {
  readonly key: Buffer;
  readonly cert: Buffer;
}

export interface Listener {
  readonly port: number;
  close(deadlineMs: number): Promise<void>;
}

function listen(server: HttpServer | TcpServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** HTTP or HTTPS; with `upgrades`, requests to upgrade (WebSocket) go there, and shutdown closes what they took. */
export async function openHttp(port: number, host: string, handler: Handler, tls?: TlsMaterial, upgrades?: Upgrades): Promise<Listener> {
  const server: HttpServer = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, handler) : createHttpServer(handler);
  server.keepAliveTimeout = 30_000;
  if (upgrades) server.on('upgrade', (req, socket, head) => upgrades.handle(req, socket, head));
  await listen(server, port, host);
  return {
    port: (server.address() as AddressInfo).port,
    close: (deadlineMs) =>
      new Promise((resolve) => {
        // The server no longer tracks upgraded sockets, and close() would wait for them.
        upgrades?.closeAll(deadlineMs);
        const force = setTimeout(() => server.closeAllConnections(), deadlineMs);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

/**
 * Plain TCP (AMQP, binary receiver) or TLS (binary SSL): accept and hold, as a broker with idle clients. `answer`
 * replies to a client's first line (the simulated JMS login, event-publishers.ts); null: say nothing.
 */
export async function openTcp(port: number, host: string, tls?: TlsMaterial, answer?: (line: string) => string | null): Promise<Listener> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket): void => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    if (answer) {
      let first = '';
      const onData = (d: Buffer): void => {
        first += d.toString('utf8');
        const end = first.indexOf('\n');
        if (end < 0 && first.length < 4096) return;
        socket.off('data', onData);
        const reply = answer(first.slice(0, end < 0 ? undefined : end));
        if (reply !== null) socket.write(`${reply}\n`);
      };
      socket.on('data', onData);
    } else socket.resume();
  };
  const server = tls ? createTlsServer({ key: tls.key, cert: tls.cert }, track) : createTcpServer(track);
  await listen(server, port, host);
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}
