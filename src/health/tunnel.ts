import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import { TransportError } from '../errors.js';
import { TcpForwardingRefused, type Transport } from '../transport/transport.js';

/** Opens host:port for a controller-side probe: through the node's own SSH session when its transport can. */
export type Tunnel = (host: string, port: number) => Promise<Duplex>;

/**
 * The node's transport as a tunnel, so probes `from: controller` (and tcp checks) need no route from the
 * controller to the node: behind a bastion only SSH reaches it. Undefined for transports that cannot (test fakes).
 */
export function tunnelOf(transport: Transport | undefined): Tunnel | undefined {
  const t = transport;
  if (!t?.openTcp) return undefined;
  return (host, port) => t.openTcp!(host, port);
}

/**
 * Not an answer about the port, so thrown: a lost connection (a transport failure), or sshd refusing forwarding (the
 * prober then runs the check another way). A refused port is an answer (unhealthy).
 */
export const isNotAnAnswer = (err: unknown): boolean => err instanceof TransportError || err instanceof TcpForwardingRefused;

/** For https over a tunnel: TLS on top of the tunnelled stream, with the server name and trust the check asks for. */
export function tlsOver(stream: Duplex, servername: string, rejectUnauthorized: boolean): Duplex {
  const isIp = /^[\d.]+$|:/.test(servername);
  return tlsConnect({ socket: stream, rejectUnauthorized, ...(isIp ? {} : { servername }) });
}
