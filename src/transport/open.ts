/**
 * Opens every host's one transport for the run, in parallel with a bounded fan-out. One bad host never fails the
 * others: its slot holds the TransportError and the caller decides.
 */
import { TransportError } from '../errors.js';
import type { HostName, HostSpec } from '../model/inventory.js';
import { openBecome } from './become.js';
import type { FirstAnswer } from './become-check.js';
import { resolveEndpoint, type ConnectionRequest, type EndpointField } from './endpoint.js';
import { LocalTransport } from './local.js';
import { connectionDefaults } from './process-defaults.js';
import { Semaphore } from './semaphore.js';
import { KeyRing, type AskPassphrase } from './ssh-auth.js';
import { loadSshConfig, NO_SSH_CONFIG, type SshConfigFile } from './ssh-config.js';
import { JumpPool } from './ssh-jump.js';
import { connectSsh, openSshClient, type SshOptions } from './ssh.js';
import type { Transport } from './transport.js';

export type { FirstAnswer } from './become-check.js';

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

export interface OpenOptions extends Omit<SshOptions, 'onConnected' | 'keyRing' | 'jumps'> {
  /**
   * SSH handshakes at once (default 16): they cost the controller's CPU, and a bastion's sshd counts unauthenticated
   * connections (MaxStartups). What a host runs once logged in (the become check, the first command) is not bounded.
   */
  readonly fanOut?: number;
  readonly counter?: ConnectionCounter;
  /**
   * ssh_config completing what the inventory leaves unsaid: a file (`--ssh-config`), a parsed one, or `false` for
   * none. Default ~/.ssh/config when it exists.
   */
  readonly sshConfig?: string | SshConfigFile | false;
  /** Asks for a key's passphrase on a terminal; unset: passphrase-protected keys need ssh_key_passphrase or an agent. */
  readonly askPassphrase?: AskPassphrase;
  /**
   * A read-only command a host runs as soon as its connection opens, as the user commands run as: with become, inside
   * the sudo that checks become (no command of its own), else as one exec. Its answer goes to `onAnswer`.
   */
  readonly firstCommand?: (host: HostSpec) => FirstCommand | undefined;
}

export interface FirstCommand {
  readonly argv: readonly string[];
  /** How long it may take (default: no more than the connection's own check allows). */
  readonly timeoutMs?: number;
  readonly onAnswer: (answer: FirstAnswer) => void;
}

/** Inventory keys → the endpoint fields they set, for `validate --explain`. */
const ORIGIN_OF: Readonly<Record<EndpointField, string>> = {
  address: 'address', port: 'port', user: 'user', identity: 'ssh_key', knownHosts: 'known_hosts', proxyJump: 'proxy_jump',
};

/** What the inventory says about a host's login, for the endpoint resolution (ssh_config fills the rest). */
export function connectionRequest(host: HostSpec): ConnectionRequest {
  const o = host.connectionOrigins ?? {};
  const origins = Object.fromEntries(Object.entries(ORIGIN_OF).flatMap(([field, k]) => (o[k] ? [[field, o[k]]] : [])));
  return {
    origins: { address: `hosts.${host.name}.address`, ...origins },
    name: host.name, address: host.address,
    ...(host.port !== undefined ? { port: host.port } : {}), ...(host.user !== undefined ? { user: host.user } : {}),
    ...(host.sshKey ? { sshKey: host.sshKey } : {}), ...(host.knownHosts ? { knownHosts: host.knownHosts } : {}),
    ...(host.sshKeyPassphrase ? { keyPassphrase: host.sshKeyPassphrase } : {}),
    ...(host.proxyJump ? { proxyJump: host.proxyJump } : {}),
  };
}

/**
 * Which ssh_config a host's login reads: the run's (`--ssh-config`), else the inventory's `ssh_config`, else
 * ~/.ssh/config. Each file is read once per run.
 */
export function sshConfigFor(host: Pick<HostSpec, 'sshConfig'>, opt: OpenOptions['sshConfig'], cache = new Map<string, SshConfigFile>()): SshConfigFile {
  const chosen = opt ?? connectionDefaults().sshConfig ?? host.sshConfig;
  if (chosen === false) return NO_SSH_CONFIG;
  if (typeof chosen === 'object') return chosen;
  const key = chosen ?? '';
  let cfg = cache.get(key);
  if (!cfg) {
    cfg = loadSshConfig(chosen);
    cache.set(key, cfg);
  }
  return cfg;
}

export type TransportMap = Map<HostName, Transport | TransportError>;

export async function openTransports(hosts: readonly HostSpec[], opts: OpenOptions = {}): Promise<TransportMap> {
  const counter = opts.counter ?? connectionCounter;
  const { fanOut = 16, sshConfig, askPassphrase, firstCommand, ...rest } = opts;
  const configs = new Map<string, SshConfigFile>();
  const sshOpts: SshOptions = { ...rest, onConnected: (h) => counter.record(h), keyRing: new KeyRing(askPassphrase ?? connectionDefaults().askPassphrase) };
  // One connection per jump host for the whole run, shared by every target behind it.
  const jumps = new JumpPool((hop, sock) => openSshClient(hop, sshOpts, async () => sock));
  // Resolved before any connection: a bad ssh_config is a configuration error (exit 3), not one host's failure.
  const endpoints = hosts.map((h) => (h.connection === 'local' ? undefined : resolveEndpoint(connectionRequest(h), sshConfigFor(h, sshConfig, configs))));
  const handshakes = new Semaphore(fanOut);
  const opened = await Promise.all(hosts.map(async (host, i): Promise<Transport | TransportError> => {
    const endpoint = endpoints[i];
    let t: Transport | undefined;
    try {
      t = endpoint ? await handshakes.run(() => connectSsh(endpoint, { ...sshOpts, jumps })) : new LocalTransport(host.name);
      const first = firstCommand?.(host);
      if (host.become) {
        const opened = await openBecome(t, host.become, endpoint?.user, first?.argv ?? [], first?.timeoutMs ?? 0);
        if (first && opened.first) first.onAnswer(opened.first);
        return opened.transport;
      }
      if (first) first.onAnswer(await t.exec({ argv: [...first.argv], ...(first.timeoutMs ? { timeoutMs: first.timeoutMs } : {}) }));
      return t;
    } catch (err) {
      await t?.close().catch(() => undefined);
      if (err instanceof TransportError) return err;
      return new TransportError(host.name, 'protocol', `unexpected connect failure: ${(err as Error).message}`);
    }
  }));
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
