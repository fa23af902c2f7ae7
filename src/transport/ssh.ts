/**
 * The SSH transport: one node-ssh connection per host for the whole run (the only importer of node-ssh),
 * session channels bounded by a semaphore (real sshd keeps MaxSessions 10), one SFTP channel for files.
 */
import type { Duplex } from 'node:stream';
import { NodeSSH } from 'node-ssh';
import { TransportError } from '../errors.js';
import type { HostSpec } from '../model/inventory.js';
import { isSecret } from '../model/secret.js';
import { commandLine } from './quote.js';
import { loginOf, resolveEndpoint, type SshEndpoint } from './endpoint.js';
import { hostKeyCheck } from './host-key-policy.js';
import { knownHostsKey } from './known-hosts.js';
import { authPlan, KeyRing } from './ssh-auth.js';
import { NO_SSH_CONFIG } from './ssh-config.js';
import { runChannel } from './ssh-channel.js';
import { isTransient, mapConnectError } from './ssh-errors.js';
import { SftpFiles } from './ssh-files.js';
import { JumpPool } from './ssh-jump.js';
import type { Sftp, SshClient } from './ssh2-types.js';
import { Semaphore } from './semaphore.js';
import { statWith } from './stat-probe.js';
import { TcpForwardingRefused, type ExecResult, type PutOptions, type RemoteCommand, type RemoteStat, type Transport } from './transport.js';

export interface SshOptions {
  /** Trust an unknown host key on first use and append it to the known_hosts file. */
  readonly acceptNewHostKeys?: boolean;
  /** Handshake deadline per attempt. Default 10 s. */
  readonly connectTimeoutMs?: number;
  /** Attempts on transient failures (refused, reset, timeout). Default 4. */
  readonly connectAttempts?: number;
  /** Random delay between attempts is drawn from [min, max] ms. Default [250, 1500]. */
  readonly retryDelayMs?: readonly [number, number];
  /** Parallel session channels on the connection. Default 8 (sshd's MaxSessions is 10; SFTP takes one). */
  readonly maxChannels?: number;
  /** Called once per successful handshake, jump hosts included (the run's connection counter). */
  readonly onConnected?: (host: string) => void;
  /** Key files read and unlocked once per run. */
  readonly keyRing?: KeyRing;
  /** The run's jump host connections, shared by every target behind them. */
  readonly jumps?: JumpPool;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The host key blob each connection's handshake verified (SshTransport.hostKey). */
const verifiedKeys = new WeakMap<NodeSSH, Buffer>();

async function connectOnce(e: SshEndpoint, opts: SshOptions, sock: Duplex | undefined): Promise<NodeSSH> {
  const where = loginOf(e);
  const check = hostKeyCheck({ name: e.hostKeyName, address: e.address, port: e.port, ...(e.knownHosts ? { knownHosts: e.knownHosts } : {}) },
    opts.acceptNewHostKeys ?? false);
  const auth = authPlan(e, opts.keyRing ?? new KeyRing());
  const ssh = new NodeSSH();
  try {
    await ssh.connect({
      ...(sock ? { sock } : { host: e.address }),
      port: e.port,
      username: e.user,
      authHandler: auth.handler,
      readyTimeout: opts.connectTimeoutMs ?? 10_000,
      keepaliveInterval: 15_000,
      keepaliveCountMax: 4,
      algorithms: { serverHostKey: check.algorithms },
      hostVerifier: (key: Buffer) => {
        const ok = check.verify(key);
        if (ok) verifiedKeys.set(ssh, key);
        return ok;
      },
    } as Parameters<NodeSSH['connect']>[0]);
    // node-ssh drops its error listener once connected: a later socket error (a reset, a jump host going away)
    // would then crash the process. Targets record it (SshTransport); for a jump host it shows as its targets'
    // connections closing.
    (ssh.connection as unknown as SshClient).on('error', () => undefined);
    return ssh;
  } catch (err) {
    ssh.dispose();
    throw check.refusal() ?? mapConnectError(e.label, where, err, auth.tried());
  }
}

/** One login (a target's or a jump host's), retrying transient failures after a random delay. Throws only TransportError. */
export async function openSshClient(e: SshEndpoint, opts: SshOptions, socket?: () => Promise<Duplex | undefined>): Promise<NodeSSH> {
  const attempts = opts.connectAttempts ?? 4;
  const [min, max] = opts.retryDelayMs ?? [250, 1500];
  for (let attempt = 1; ; attempt++) {
    try {
      const ssh = await connectOnce(e, opts, await socket?.());
      opts.onConnected?.(e.label);
      return ssh;
    } catch (err) {
      const x = err instanceof TransportError ? err : mapConnectError(e.label, loginOf(e), err);
      if (attempt >= attempts || !isTransient(x)) throw x;
      await sleep(min + Math.random() * (max - min));
    }
  }
}

/**
 * Opens the host's one connection, directly or through its jump hosts (one shared connection each).
 * Accepts an inventory HostSpec (taken as said, no ssh_config) or a resolved endpoint. Throws only TransportError.
 */
export async function connectSsh(target: HostSpec | SshEndpoint, opts: SshOptions = {}): Promise<SshTransport> {
  const e = 'connection' in target ? endpointOfHost(target) : target;
  if (e.jump.length === 0) return new SshTransport(e.label, await openSshClient(e, opts), opts.maxChannels ?? 8);
  const jumps = opts.jumps ?? new JumpPool((hop, sock) => openSshClient(hop, opts, async () => sock));
  let lease: { release(): void } | undefined;
  try {
    const ssh = await openSshClient(e, opts, async () => {
      lease?.release();
      const got = await jumps.socketTo(e);
      lease = got;
      return got.sock;
    });
    return new SshTransport(e.label, ssh, opts.maxChannels ?? 8, () => lease?.release());
  } catch (err) {
    lease?.release();
    throw err;
  }
}

/** A HostSpec as the inventory normalised it, with no ssh_config applied. */
export function endpointOfHost(host: HostSpec): SshEndpoint {
  return resolveEndpoint({
    name: host.name, address: host.address,
    ...(host.port !== undefined ? { port: host.port } : {}), ...(host.user !== undefined ? { user: host.user } : {}),
    ...(host.sshKey ? { sshKey: host.sshKey } : {}), ...(host.knownHosts ? { knownHosts: host.knownHosts } : {}),
  }, NO_SSH_CONFIG);
}

export class SshTransport implements Transport {
  readonly hostKey?: string;
  readonly #ssh: NodeSSH;
  readonly #client: SshClient;
  readonly #channels: Semaphore;
  readonly #files: SftpFiles;
  #sftp: Promise<Sftp> | undefined;
  #lost: TransportError | undefined;
  #closed = false;

  readonly #onClose: (() => void) | undefined;

  /** `onClose` runs once the connection is closed (releases the jump hosts it went through). */
  constructor(readonly host: string, ssh: NodeSSH, maxChannels: number, onClose?: () => void) {
    this.#ssh = ssh;
    this.#onClose = onClose;
    const key = verifiedKeys.get(ssh);
    const line = key ? knownHostsKey(key) : null;
    if (line) this.hostKey = line;
    this.#client = ssh.connection as unknown as SshClient;
    this.#channels = new Semaphore(maxChannels);
    // Without a listener a later socket error would crash the process; remember it and fail calls instead.
    this.#client.on('error', (err: unknown) => { this.#lost ??= mapConnectError(host, host, err); });
    this.#client.on('close', () => {
      if (!this.#closed) this.#lost ??= new TransportError(host, 'unreachable', 'SSH connection lost');
    });
    this.#files = new SftpFiles(host, () => this.#openSftp(), (cmd) => this.exec(cmd));
  }

  async exec(cmd: RemoteCommand, signal?: AbortSignal): Promise<ExecResult> {
    const { wire, display } = commandLine(cmd);
    const stdin = cmd.stdin === undefined ? undefined : isSecret(cmd.stdin) ? cmd.stdin.reveal() : cmd.stdin;
    return this.#channels.run(async () => {
      this.#usable();
      signal?.throwIfAborted();
      const started = performance.now();
      let o;
      try {
        o = await runChannel(this.#client, wire, stdin, cmd.timeoutMs, signal);
      } catch (err) {
        throw this.#lost ?? mapConnectError(this.host, this.host, err);
      }
      if (o.cut === 'abort') signal?.throwIfAborted();
      if (o.cut === 'timeout') {
        throw new TransportError(this.host, 'timeout', `command timed out after ${cmd.timeoutMs} ms and was killed: ${display}`);
      }
      if (o.noStatus && this.#lost) throw this.#lost;
      return { exitCode: o.exitCode, signal: o.signal, stdout: o.stdout, stderr: o.stderr, durationMs: performance.now() - started };
    });
  }

  async put(content: string | Uint8Array, remotePath: string, opts: PutOptions): Promise<void> {
    this.#usable();
    await this.#files.put(content, remotePath, opts);
  }

  async putFile(localPath: string, remotePath: string, opts: PutOptions): Promise<void> {
    this.#usable();
    await this.#files.putFile(localPath, remotePath, opts);
  }

  async read(remotePath: string): Promise<Uint8Array | undefined> {
    this.#usable();
    return this.#files.read(remotePath);
  }

  stat(remotePath: string): Promise<RemoteStat | undefined> {
    return statWith(this.host, (cmd) => this.exec(cmd), remotePath);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const sftp = await this.#sftp?.catch(() => undefined);
    sftp?.end();
    this.#ssh.dispose();
    this.#onClose?.();
  }

  /**
   * A TCP connection opened by the host's sshd and carried in this SSH connection (health probes). A refused or
   * unreachable port rejects with a plain Error (an answer, not a transport failure); a lost connection with
   * TransportError.
   */
  async openTcp(host: string, port: number): Promise<Duplex> {
    this.#usable();
    return new Promise((resolve, reject) => {
      this.#client.forwardOut('127.0.0.1', 0, host, port, (err, stream) => {
        if (!err) return resolve(stream);
        // SSH_OPEN_ADMINISTRATIVELY_PROHIBITED (RFC 4254 5.1): the server's policy, whatever the port.
        const prohibited = (err as Error & { reason?: unknown }).reason === 1;
        reject(this.#lost ?? (prohibited ? new TcpForwardingRefused(this.host, err.message) : new Error(err.message)));
      });
    });
  }

  #usable(): void {
    if (this.#lost) throw this.#lost;
    if (this.#closed) throw new TransportError(this.host, 'protocol', 'transport used after close()');
  }

  #openSftp(): Promise<Sftp> {
    this.#sftp ??= this.#ssh.requestSFTP().then((s) => s as unknown as Sftp).catch((err: unknown) => {
      this.#sftp = undefined;
      throw this.#lost ?? new TransportError(this.host, 'protocol', `cannot open SFTP: ${(err as Error).message}`,
        'check that sshd has `Subsystem sftp` configured');
    });
    return this.#sftp;
  }
}
