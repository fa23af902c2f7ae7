/**
 * The SSH transport: one node-ssh connection per host for the whole run (the only importer of node-ssh),
 * session channels bounded by a semaphore (real sshd keeps MaxSessions 10), one SFTP channel for files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { NodeSSH } from 'node-ssh';
import { TransportError } from '../errors.js';
import type { HostSpec } from '../model/inventory.js';
import { isSecret } from '../model/secret.js';
import { commandLine } from './quote.js';
import { hostKeyCheck } from './host-key-policy.js';
import { runChannel } from './ssh-channel.js';
import { isTransient, mapConnectError } from './ssh-errors.js';
import { SftpFiles } from './ssh-files.js';
import type { Sftp, SshClient } from './ssh2-types.js';
import { Semaphore } from './semaphore.js';
import { parseStat, statArgv } from './stat-probe.js';
import type { ExecResult, PutOptions, RemoteCommand, RemoteStat, Transport } from './transport.js';

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
  /** Called once per successful handshake (the run's connection counter). */
  readonly onConnected?: (host: string) => void;
}

const DEFAULT_KEYS = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

function privateKeyFor(host: HostSpec): { privateKey?: string; agent?: string } {
  const agent = process.env['SSH_AUTH_SOCK'];
  const path = host.sshKey ?? DEFAULT_KEYS.map((k) => join(homedir(), '.ssh', k)).find((p) => existsSync(p));
  if (path === undefined) return agent ? { agent } : {};
  try {
    return { privateKey: readFileSync(path, 'utf8'), ...(agent ? { agent } : {}) };
  } catch (err) {
    throw new TransportError(host.name, 'auth', `cannot read SSH private key ${path}: ${(err as Error).message}`,
      'check ssh_key in the inventory');
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function connectOnce(host: HostSpec, opts: SshOptions): Promise<NodeSSH> {
  const where = `${host.user}@${host.address}:${host.port}`;
  const check = hostKeyCheck({ name: host.name, address: host.address, port: host.port, ...(host.knownHosts ? { knownHosts: host.knownHosts } : {}) },
    opts.acceptNewHostKeys ?? false);
  const ssh = new NodeSSH();
  try {
    await ssh.connect({
      host: host.address,
      port: host.port,
      username: host.user,
      ...privateKeyFor(host),
      readyTimeout: opts.connectTimeoutMs ?? 10_000,
      keepaliveInterval: 15_000,
      keepaliveCountMax: 4,
      algorithms: { serverHostKey: check.algorithms },
      hostVerifier: (key: Buffer) => check.verify(key),
    });
    return ssh;
  } catch (err) {
    ssh.dispose();
    throw check.refusal() ?? mapConnectError(host.name, where, err);
  }
}

/** Opens the host's one connection, retrying transient failures after a random delay. Throws only TransportError. */
export async function connectSsh(host: HostSpec, opts: SshOptions = {}): Promise<SshTransport> {
  const attempts = opts.connectAttempts ?? 4;
  const [min, max] = opts.retryDelayMs ?? [250, 1500];
  for (let attempt = 1; ; attempt++) {
    try {
      const ssh = await connectOnce(host, opts);
      opts.onConnected?.(host.name);
      return new SshTransport(host.name, ssh, opts.maxChannels ?? 8);
    } catch (err) {
      const e = err instanceof TransportError ? err : mapConnectError(host.name, host.address, err);
      if (attempt >= attempts || !isTransient(e)) throw e;
      await sleep(min + Math.random() * (max - min));
    }
  }
}

export class SshTransport implements Transport {
  readonly #ssh: NodeSSH;
  readonly #client: SshClient;
  readonly #channels: Semaphore;
  readonly #files: SftpFiles;
  #sftp: Promise<Sftp> | undefined;
  #lost: TransportError | undefined;
  #closed = false;

  constructor(readonly host: string, ssh: NodeSSH, maxChannels: number) {
    this.#ssh = ssh;
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

  async stat(remotePath: string): Promise<RemoteStat | undefined> {
    const r = await this.exec({ argv: statArgv(remotePath) });
    try {
      if (r.exitCode !== 0) throw new Error(r.stderr.trim() || `exit ${r.exitCode}`);
      return parseStat(r.stdout);
    } catch (err) {
      throw new TransportError(this.host, 'protocol', `cannot stat ${remotePath}: ${(err as Error).message}`);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const sftp = await this.#sftp?.catch(() => undefined);
    sftp?.end();
    this.#ssh.dispose();
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
