/** Maps ssh2 / socket failures to TransportError kinds, and says which ones are worth a reconnect attempt. */
import { TransportError } from '../errors.js';

interface Ssh2Error extends Error {
  level?: string;
  code?: string;
}

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE']);
/** Failures that can pass: sshd restarting, MaxStartups dropping us, a slow handshake. */
const TRANSIENT_CODES = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE']);

export function isTransient(err: TransportError): boolean {
  return err.kind === 'timeout' || (err.kind === 'unreachable' && TRANSIENT_CODES.has(codeOf(err.cause)));
}

function codeOf(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err ? String((err as Ssh2Error).code) : '';
}

/** `where` reads like "root@10.0.0.5:22"; `tried` lists what authentication tried and why each failed. */
export function mapConnectError(host: string, where: string, err: unknown, tried?: string): TransportError {
  if (err instanceof TransportError) return err;
  const e = (err instanceof Error ? err : new Error(String(err))) as Ssh2Error;
  const code = codeOf(e);
  let out: TransportError;
  if (e.level === 'client-authentication') {
    out = new TransportError(host, 'auth', `authentication failed for ${where}${tried ? ` (tried ${tried})` : ''}`,
      'check the host\'s user and ssh_key in the inventory (or ssh_config), and that its public key is in the remote authorized_keys');
  } else if (e.level === 'client-timeout' || code === 'ETIMEDOUT') {
    out = new TransportError(host, 'timeout', `no SSH handshake from ${where} in time (${e.message})`,
      'check the address and port, and that sshd is running and not overloaded');
  } else if (e.level === 'client-dns') {
    out = new TransportError(host, 'unreachable', `cannot resolve ${where}: ${e.message}`);
  } else if (UNREACHABLE_CODES.has(code) || e.level === 'client-socket') {
    out = new TransportError(host, 'unreachable', `cannot connect to ${where}: ${code || e.message}`,
      'check the address and port, and that sshd is running');
  } else {
    out = new TransportError(host, 'protocol', `SSH error with ${where}: ${e.message}`);
  }
  out.cause = e;
  return out;
}
