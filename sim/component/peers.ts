/**
 * Probes of the peers a node depends on. Each returns null when the peer answers, else why not, in the words a
 * real node would log.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { leafFingerprint, type TrustVerifier } from './trust.js';

const TIMEOUT_MS = 3000;

export type HttpAnswer = { readonly status: number; readonly body: string } | { readonly error: string };

/**
 * GET `url`. Over https the peer's certificate is judged by `trust` (JSSE against the node's truststore, as
 * Carbon's clients do); an untrusted peer is an error carrying JSSE's text, whatever it answered.
 */
export function fetchText(url: string, trust: TrustVerifier | undefined): Promise<HttpAnswer> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve({ error: `"${url}" is not a URL` });
      return;
    }
    const tls = target.protocol === 'https:';
    const send = tls ? httpsRequest : httpRequest;
    // Node only carries the bytes: the trust decision is made below, by JSSE.
    const req = send(target, { method: 'GET', timeout: TIMEOUT_MS, rejectUnauthorized: false, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (!tls || trust === undefined) return resolve({ status, body });
        const leaf = leafFingerprint((res.socket as TLSSocket).getPeerCertificate?.()?.fingerprint256 ?? '');
        const port = target.port === '' ? 443 : Number(target.port);
        void trust.verify(target.hostname.replace(/^\[|\]$/g, ''), port, leaf).then((error) => resolve(error === null ? { status, body } : { error }));
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    req.on('error', (err) => resolve({ error: describeNetError(err) }));
    req.end();
  });
}

/** GET the event hub `service_url`; 200 from a trusted peer means it is up. */
export async function probeHttpService(url: string, trust: TrustVerifier | undefined): Promise<string | null> {
  const answer = await fetchText(url, trust);
  if ('error' in answer) return answer.error;
  return answer.status === 200 ? null : `HTTP ${answer.status} from ${url}`;
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
