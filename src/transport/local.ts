/**
 * The local transport (`connection: local`): the same command lines run by `sh -c` on this machine, files written
 * with the same temp-beside-destination-then-rename rule.
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { chmod, copyFile, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { TransportError } from '../errors.js';
import { isSecret } from '../model/secret.js';
import { commandLine } from './quote.js';
import { FilePlacer } from './place-file.js';
import { parseMode, statWith } from './stat-probe.js';
import type { ExecResult, PutOptions, RemoteCommand, RemoteStat, Transport } from './transport.js';

export class LocalTransport implements Transport {
  readonly #placer = new FilePlacer();

  constructor(readonly host: string) {}

  exec(cmd: RemoteCommand, signal?: AbortSignal): Promise<ExecResult> {
    const { wire, display } = commandLine(cmd);
    const stdin = cmd.stdin === undefined ? undefined : isSecret(cmd.stdin) ? cmd.stdin.reveal() : cmd.stdin;
    signal?.throwIfAborted();
    const started = performance.now();
    return new Promise((resolve, reject) => {
      // Own process group, so a timeout or abort kills the command and everything it started.
      const child = spawn('sh', ['-c', wire], { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const errOut: Buffer[] = [];
      let cut: 'timeout' | 'abort' | null = null;
      const stop = (why: 'timeout' | 'abort') => {
        cut ??= why;
        try {
          if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      };
      const timer = cmd.timeoutMs === undefined ? undefined : setTimeout(() => stop('timeout'), cmd.timeoutMs);
      const onAbort = () => stop('abort');
      signal?.addEventListener('abort', onAbort, { once: true });
      child.stdout.on('data', (c: Buffer) => out.push(c));
      child.stderr.on('data', (c: Buffer) => errOut.push(c));
      child.stdin.on('error', () => undefined); // the command may exit without reading its stdin
      child.on('error', (err) => reject(new TransportError(this.host, 'protocol', `cannot run sh: ${err.message}`)));
      child.on('close', (code, sig) => {
        if (timer) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (cut === 'abort') return reject(signal?.reason);
        if (cut === 'timeout') {
          return reject(new TransportError(this.host, 'timeout', `command timed out after ${cmd.timeoutMs} ms and was killed: ${display}`));
        }
        resolve({
          exitCode: code, signal: sig, durationMs: performance.now() - started,
          stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errOut).toString('utf8'),
        });
      });
      child.stdin.end(stdin);
    });
  }

  async put(content: string | Uint8Array, remotePath: string, opts: PutOptions): Promise<void> {
    await this.#atomically(remotePath, opts, (tmp) => writeFile(tmp, content, { mode: 0o600, flag: 'wx' }));
  }

  async putFile(localPath: string, remotePath: string, opts: PutOptions): Promise<void> {
    await this.#atomically(remotePath, opts, async (tmp) => {
      await copyFile(localPath, tmp);
      await chmod(tmp, 0o600);
    });
  }

  async read(remotePath: string): Promise<Uint8Array | undefined> {
    try {
      return await readFile(remotePath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw this.#fail(`cannot read ${remotePath}`, err);
    }
  }

  stat(remotePath: string): Promise<RemoteStat | undefined> {
    return statWith(this.host, (cmd) => this.exec(cmd), remotePath);
  }

  /** This machine is the host: a plain TCP connection. */
  openTcp(host: string, port: number): Promise<Duplex> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port });
      socket.once('connect', () => resolve(socket));
      socket.once('error', reject);
    });
  }

  async close(): Promise<void> {}

  async #atomically(dest: string, opts: PutOptions, write: (tmp: string) => Promise<void>): Promise<void> {
    await this.#placer.place({
      host: this.host,
      exec: (cmd) => this.exec(cmd),
      write,
      chmod: (path, mode) => chmod(path, mode),
      rename: (from, to) => rename(from, to),
      unlink: (path) => rm(path, { force: true }),
    }, dest, parseMode(opts.mode), opts.owner);
  }

  #fail(what: string, err: unknown): TransportError {
    const e = new TransportError(this.host, 'protocol', `${what}: ${(err as Error).message}`);
    e.cause = err;
    return e;
  }
}
