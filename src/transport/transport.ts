import type { Duplex } from 'node:stream';
import type { HostName } from '../model/inventory.js';
import type { Secret } from '../model/secret.js';

/** An argv element; secrets stay wrapped until the wire. */
export type Arg = string | Secret;

export interface RemoteCommand {
  readonly argv: readonly Arg[];
  readonly stdin?: string | Secret;
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, Arg>>;
  readonly timeoutMs?: number;
  /**
   * Runs as the login user even where the transport runs everything else as the become user: a read that needs no
   * privilege (a health probe of a port) then costs no sudo. Transports without become ignore it.
   */
  readonly asLoginUser?: boolean;
}

/** Result of a remote command. A non-zero exit is data, not an exception. */
export interface ExecResult {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

/** A command's output and exit code, without the rest: an answer given ahead (a connection's first command, a batch). */
export type CommandAnswer = Pick<ExecResult, 'exitCode' | 'stdout'>;

export interface RemoteStat {
  readonly kind: 'file' | 'dir' | 'symlink' | 'other';
  /** '0640' */
  readonly mode: string;
  readonly owner: string;
  readonly size: number;
}

export interface PutOptions {
  readonly mode: string;
  readonly owner?: string;
}

/** The only door to a host. `ssh.ts` and `local.ts` implement it. Every method throws only TransportError. */
export interface Transport {
  readonly host: HostName;
  /**
   * The host key the controller verified when it logged in (SSH), as known_hosts writes it: `<type> <base64>`. A peer
   * copy pins it on the receiver instead of trusting the key on first use. Absent on local and test transports.
   */
  readonly hostKey?: string;
  exec(command: RemoteCommand, signal?: AbortSignal): Promise<ExecResult>;
  /** Writes a temp file beside remotePath, then renames it into place (atomic, same filesystem). */
  put(content: string | Uint8Array, remotePath: string, opts: PutOptions): Promise<void>;
  /**
   * put, but only while remotePath holds what the caller last saw there: one of `replaces` (a sha256, or null for
   * absent). Otherwise nothing is placed and it throws PlaceDriftError naming what is there. The check and the placement
   * are one command; transports without it leave the caller to check first (the become transport has it: one sudo less).
   */
  guardedPut?(content: string | Uint8Array, remotePath: string, opts: PutOptions, replaces: readonly (string | null)[]): Promise<void>;
  /** Streams a controller-side file to remotePath (temp name, then rename). For distributions and JDKs. */
  putFile(localPath: string, remotePath: string, opts: PutOptions): Promise<void>;
  /** undefined = absent. Exact bytes, no trimming. */
  read(remotePath: string): Promise<Uint8Array | undefined>;
  /** Does not follow a final symlink (lstat). undefined = absent. */
  stat(remotePath: string): Promise<RemoteStat | undefined>;
  /**
   * A TCP connection to host:port opened from the host itself (SSH: a channel of the same connection), so the
   * controller's health probes reach nodes it has no route to (behind a bastion), and a check of the host's own view
   * needs no process on it. Rejects with TcpForwardingRefused where the host's sshd allows no forwarding; with a
   * plain Error when the port does not answer. Absent on test fakes.
   */
  openTcp?(host: string, port: number): Promise<Duplex>;
  close(): Promise<void>;
}

/**
 * The host's sshd allows no TCP forwarding (AllowTcpForwarding no, DisableForwarding yes, PermitOpen): a CIS-hardened
 * host's policy, not an answer about the port. Checks then run on the host instead (health/prober.ts).
 */
export class TcpForwardingRefused extends Error {
  constructor(readonly host: string, detail: string) {
    super(`${host}: sshd allows no TCP forwarding (administratively prohibited: ${detail})`);
    this.name = 'TcpForwardingRefused';
  }
}
