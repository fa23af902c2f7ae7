/**
 * Opens every host's one transport for the run, in parallel with a bounded fan-out. One bad host never fails the
 * others: its slot holds the TransportError and the caller decides.
 */
import { TransportError } from '../errors.js';
import type { HostName, HostSpec } from '../model/inventory.js';
import { LocalTransport } from './local.js';
import { mapBounded } from './semaphore.js';
import { connectSsh, type SshOptions } from './ssh.js';
import type { Transport } from './transport.js';

/** Counts SSH handshakes per host, so a run (and the benchmark) can prove "one connection per host". */
export class ConnectionCounter {
  readonly #perHost = new Map<HostName, number>();
  record(host: HostName): void {
    this.#perHost.set(host, (this.#perHost.get(host) ?? 0) + 1);
  }
  get total(): number {
    let n = 0;
    for (const v of this.#perHost.values()) n += v;
    return n;
  }
  forHost(host: HostName): number {
    return this.#perHost.get(host) ?? 0;
  }
  snapshot(): Readonly<Record<HostName, number>> {
    return Object.fromEntries(this.#perHost);
  }
}

/** Process-wide counter used when the caller passes none. */
export const connectionCounter = new ConnectionCounter();

export interface OpenOptions extends Omit<SshOptions, 'onConnected'> {
  /** Connections being opened at once. Default 16. */
  readonly fanOut?: number;
  readonly counter?: ConnectionCounter;
}

export type TransportMap = Map<HostName, Transport | TransportError>;

export async function openTransports(hosts: readonly HostSpec[], opts: OpenOptions = {}): Promise<TransportMap> {
  const counter = opts.counter ?? connectionCounter;
  const { fanOut = 16, ...sshOpts } = opts;
  const opened = await mapBounded(hosts, fanOut, async (host): Promise<Transport | TransportError> => {
    if (host.connection === 'local') return new LocalTransport(host.name);
    try {
      return await connectSsh(host, { ...sshOpts, onConnected: (h) => counter.record(h) });
    } catch (err) {
      if (err instanceof TransportError) return err;
      return new TransportError(host.name, 'protocol', `unexpected connect failure: ${(err as Error).message}`);
    }
  });
  return new Map(hosts.map((h, i) => [h.name, opened[i]!]));
}

/** Closes every open transport; errors in the map are skipped. Never throws. */
export async function closeAll(transports: TransportMap): Promise<void> {
  await Promise.all(
    [...transports.values()].map((t) => (t instanceof TransportError ? undefined : t.close().catch(() => undefined))),
  );
}

/** Separates open transports from failures, for callers that stop when any host is unreachable. */
export function splitOpened(transports: TransportMap): { ok: Map<HostName, Transport>; failed: TransportError[] } {
  const ok = new Map<HostName, Transport>();
  const failed: TransportError[] = [];
  for (const [host, t] of transports) {
    if (t instanceof TransportError) failed.push(t);
    else ok.set(host, t);
  }
  return { ok, failed };
}
