/**
 * Probes of the peers a node depends on. Each returns null when the peer answers, else why not, in the words a
 * real node would log.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';

const TIMEOUT_MS = 3000;

/** GET the event hub `service_url` (self-signed TLS accepted, as the shipped truststore would); 200 means it is up. */
export function probeHttpService(url: string): Promise<string | null> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve(`"${url}" is not a URL`);
      return;
    }
    const send = target.protocol === 'http:' ? httpRequest : httpsRequest;
    const req = send(target, { method: 'GET', timeout: TIMEOUT_MS, rejectUnauthorized: false, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode === 200 ? null : `HTTP ${res.statusCode ?? '?'} from ${url}`);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    req.on('error', (err) => resolve(describeNetError(err)));
    req.end();
  });
}

/** Opens and closes a TCP connection to `tcp://host:port` (or `ssl://`, which is TCP underneath). */
export function probeTcp(url: string): Promise<string | null> {
  const m = /^(?:tcp|ssl):\/\/\[?([^\]/:]+)\]?:(\d+)/i.exec(url.trim());
  if (!m) return Promise.resolve(`"${url}" is not a tcp://host:port URL`);
  return probeTcpHostPort(m[1]!, Number(m[2]));
}

export function probeTcpHostPort(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: TIMEOUT_MS });
    socket.once('connect', () => {
      socket.end();
      resolve(null);
    });
    socket.once('timeout', () => socket.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    socket.once('error', (err) => resolve(describeNetError(err)));
  });
}

export function describeNetError(err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED') return 'Connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `Unknown host (${code})`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `No route to host (${code})`;
  return code ? `${err.message} (${code})` : err.message;
}
