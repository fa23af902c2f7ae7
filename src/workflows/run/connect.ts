import { TransportError } from '../../errors.js';
import type { HostName, HostSpec } from '../../model/inventory.js';
import { closeAll, openTransports, type ConnectionCounter, type OpenOptions } from '../../transport/open.js';
import type { Transport } from '../../transport/transport.js';

export interface Connections {
  readonly transports: Map<HostName, Transport>;
  readonly unreachable: Map<HostName, TransportError>;
  close(): Promise<void>;
}

/** One connection per host for the whole run, opened in parallel; unreachable hosts are reported, not thrown. */
export async function connect(hosts: readonly HostSpec[], opts: { acceptNewHostKeys?: boolean; counter?: ConnectionCounter; firstCommand?: OpenOptions['firstCommand'] } = {}): Promise<Connections> {
  const opened = await openTransports(hosts, {
    acceptNewHostKeys: opts.acceptNewHostKeys ?? false,
    ...(opts.counter ? { counter: opts.counter } : {}),
    ...(opts.firstCommand ? { firstCommand: opts.firstCommand } : {}),
  });
  const transports = new Map<HostName, Transport>();
  const unreachable = new Map<HostName, TransportError>();
  for (const [host, t] of opened) {
    if (t instanceof TransportError) unreachable.set(host, t);
    else transports.set(host, t);
  }
  return { transports, unreachable, close: () => closeAll(opened) };
}
