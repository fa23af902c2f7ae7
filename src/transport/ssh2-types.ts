/**
 * The slice of ssh2's API the SSH transport uses. ssh2 ships no types and @types/ssh2 is not installed, so we
 * declare what we call; ssh.ts casts node-ssh's `connection` to SshClient once.
 */
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type { Duplex, Readable } from 'node:stream';

export interface SshChannel extends EventEmitter {
  readonly stderr: Readable;
  readonly writable: boolean;
  write(data: string | Buffer): boolean;
  end(): void;
  close(): void;
  signal(name: string): void;
  resume(): this;
}

export interface SshClient extends EventEmitter {
  exec(command: string, cb: (err: Error | undefined, channel: SshChannel) => void): void;
  /** A direct-tcpip channel: the server opens a TCP connection to dstHost:dstPort and carries it. */
  forwardOut(srcIP: string, srcPort: number, dstHost: string, dstPort: number, cb: (err: Error | undefined, stream: Duplex) => void): void;
  end(): void;
}

/** ssh2's key parser: a parsed key, a list of them, or an Error (encrypted without passphrase, bad passphrase, ...). */
export const parseKey = (createRequire(import.meta.url)('ssh2') as {
  utils: { parseKey(data: Buffer | string, passphrase?: string): unknown };
}).utils.parseKey;

export interface SftpError extends Error {
  /** SSH_FX_* status: 2 = no such file, 3 = permission denied. */
  code?: number | string;
}

type Cb = (err: SftpError | null | undefined) => void;

export interface Sftp extends EventEmitter {
  writeFile(path: string, data: Uint8Array | string, opts: { mode: number }, cb: Cb): void;
  readFile(path: string, cb: (err: SftpError | null | undefined, data: Buffer) => void): void;
  fastPut(local: string, remote: string, opts: { mode: number; concurrency: number; chunkSize: number }, cb: Cb): void;
  chmod(path: string, mode: number, cb: Cb): void;
  unlink(path: string, cb: Cb): void;
  ext_openssh_rename(from: string, to: string, cb: Cb): void;
  end(): void;
}

export const SFTP_NO_SUCH_FILE = 2;
