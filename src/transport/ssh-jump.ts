/**
 * ProxyJump without a new bastion login per target: one SSH connection to each jump host for the whole run,
 * shared by every target behind it, each target's session carried in a direct-tcpip channel of that connection
 * (ssh2 `forwardOut`, then `sock` for the target's own handshake, so its host key is checked like any host's).
 * Chains are connections through connections. A jump host closes when the last target using it closes.
 */
import type { Duplex } from 'node:stream';
import type { NodeSSH } from 'node-ssh';
import { TransportError } from '../errors.js';
import { loginOf, type SshEndpoint } from './endpoint.js';
import type { SshClient } from './ssh2-types.js';

export type HopConnector = (hop: SshEndpoint, sock: Duplex | undefined) => Promise<NodeSSH>;

interface Hop {
  readonly ssh: Promise<NodeSSH>;
  users: number;
}

const keyOf = (chain: readonly SshEndpoint[]): string => chain.map((h) => `${loginOf(h)}#${h.identityFiles.join(',')}`).join(' > ');

function forward(ssh: NodeSSH, host: string, port: number): Promise<Duplex> {
  const client = ssh.connection as unknown as SshClient;
  return new Promise((resolve, reject) => client.forwardOut('127.0.0.1', 0, host, port, (err, stream) => (err ? reject(err) : resolve(stream))));
}

/** "jump host X: ..." on the target that needed it, keeping the kind (auth, host-key, unreachable). */
function viaHop(target: string, hop: SshEndpoint, err: unknown): TransportError {
  if (err instanceof TransportError) {
    const own = err.message.startsWith(`${err.host}: `) ? err.message.slice(err.host.length + 2) : err.message;
    const out = new TransportError(target, err.kind, `jump host ${hop.label}: ${own}`, err.hint);
    out.cause = err;
    return out;
  }
  return new TransportError(target, 'unreachable', `jump host ${hop.label}: ${(err as Error).message}`);
}

export class JumpPool {
  readonly #hops = new Map<string, Hop>();
  constructor(private readonly connect: HopConnector) {}

  /**
   * A socket to `target` through its jump chain, and the lease on every hop of the chain. Throws only
   * TransportError, naming the target and the hop that failed.
   */
  async socketTo(target: SshEndpoint): Promise<{ sock: Duplex; release: () => void }> {
    const chain = target.jump;
    const keys = chain.map((_, i) => keyOf(chain.slice(0, i + 1)));
    for (const [i, key] of keys.entries()) this.#acquire(key, chain.slice(0, i + 1));
    const release = once(() => keys.forEach((k) => this.#release(k)));
    try {
      const last = await this.#hops.get(keys[keys.length - 1]!)!.ssh.catch((err: unknown) => {
        throw viaHop(target.label, failedHop(err, chain), err);
      });
      const sock = await forward(last, target.address, target.port).catch((err: Error) => {
        throw new TransportError(target.label, 'unreachable',
          `jump host ${chain[chain.length - 1]!.label} cannot open a connection to ${target.address}:${target.port}: ${err.message}`,
          'check the address and port as the jump host sees them, and that its sshd allows TCP forwarding');
      });
      return { sock, release };
    } catch (err) {
      release();
      throw err;
    }
  }

  #acquire(key: string, chain: readonly SshEndpoint[]): void {
    const existing = this.#hops.get(key);
    if (existing) {
      existing.users++;
      return;
    }
    const hop = chain[chain.length - 1]!;
    const outer = chain.length > 1 ? this.#hops.get(keyOf(chain.slice(0, -1)))! : undefined;
    const ssh = (async () => {
      const sock = outer ? await forward(await outer.ssh, hop.address, hop.port).catch((err: Error) => {
        throw Object.assign(new TransportError(hop.label, 'unreachable', `cannot reach ${loginOf(hop)} from ${chain[chain.length - 2]!.label}: ${err.message}`), { hop });
      }) : undefined;
      return this.connect(hop, sock).catch((err: unknown) => {
        throw Object.assign(err as object, { hop });
      });
    })();
    ssh.catch(() => undefined); // a failure is reported to each target through socketTo
    this.#hops.set(key, { ssh, users: 1 });
  }

  #release(key: string): void {
    const hop = this.#hops.get(key);
    if (!hop || --hop.users > 0) return;
    this.#hops.delete(key);
    void hop.ssh.then((s) => s.dispose(), () => undefined);
  }
}

function failedHop(err: unknown, chain: readonly SshEndpoint[]): SshEndpoint {
  const hop = (err as { hop?: SshEndpoint }).hop;
  return hop ?? chain[chain.length - 1]!;
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (!done) {
      done = true;
      fn();
    }
  };
}
