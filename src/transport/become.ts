/**
 * A Transport that runs everything as the become user: exec through sudo (become-command.ts), uploads into the
 * login user's private temp directory and then placed by the become user the way every transport places files
 * (place-file.ts: never a chown or rename by path where a service user could swap a link), reads and stats through sudo.
 * It wraps any Transport (SSH's, or a fake) and adds no connection: the same one SSH connection per host.
 */
import { statSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { TransportError } from '../errors.js';
import type { BecomeSpec } from '../model/inventory.js';
import type { Secret } from '../model/secret.js';
import { becomeCommand, READ_ABSENT, readArgv } from './become-command.js';
import { FilePlacer } from './place-file.js';
import { checkBecome, makePrivateTmp, type FirstAnswer } from './become-check.js';
import { parseMode, statWith } from './stat-probe.js';
import type { ExecResult, PutOptions, RemoteCommand, RemoteStat, Transport } from './transport.js';

/** Uploads at least this large go beside their destination (two commands more, one full disk copy less). */
const BESIDE_FROM_BYTES = 8 * 1024 * 1024;

export class BecomeTransport implements Transport {
  readonly host: string;
  readonly hostKey?: string;
  /** The login user's connection's own (a port needs no privilege); absent where the inner transport has none. */
  readonly openTcp?: (host: string, port: number) => Promise<Duplex>;
  #uploads = 0;
  readonly #placer = new FilePlacer();
  /** The login user's private (0700) temp directory for uploads: made at the first upload, removed at close. */
  #tmpDir: Promise<string> | undefined;

  constructor(
    private readonly inner: Transport,
    private readonly become: BecomeSpec,
    /** Set when the host's sudo asks for the password (checked at open). */
    private readonly password: Secret | undefined,
  ) {
    this.host = inner.host;
    if (inner.hostKey) this.hostKey = inner.hostKey;
    if (inner.openTcp) this.openTcp = (host, port) => inner.openTcp!(host, port);
  }

  exec(cmd: RemoteCommand, signal?: AbortSignal): Promise<ExecResult> {
    if (cmd.asLoginUser) return this.inner.exec(cmd, signal);
    return this.inner.exec(becomeCommand(cmd, this.become, this.password), signal);
  }

  put(content: string | Uint8Array, remotePath: string, opts: PutOptions): Promise<void> {
    return this.#put(content, remotePath, opts, undefined);
  }

  /** The check rides in the sudo that places the upload: the upload goes first, and is removed when refused. */
  guardedPut(content: string | Uint8Array, remotePath: string, opts: PutOptions, replaces: readonly (string | null)[]): Promise<void> {
    return this.#put(content, remotePath, opts, replaces);
  }

  async #put(content: string | Uint8Array, remotePath: string, opts: PutOptions, replaces: readonly (string | null)[] | undefined): Promise<void> {
    const mode = parseMode(opts.mode); // a malformed mode throws before anything is uploaded
    const tmp = await this.#uploadPath();
    await this.inner.put(content, tmp, { mode: '0600' });
    await this.#install(tmp, remotePath, mode, opts.owner, replaces);
  }

  /**
   * A distribution written to the login user's home and then moved into /opt is written twice when they are two
   * filesystems (a rename across them is a copy): hundreds of MB per pack. So where only root can change the
   * destination's directory, root makes a login-owned directory beside it and the move is a rename; the command that
   * moves the upload in removes that directory. Elsewhere, or when the become user is not root, the home temp directory.
   */
  async putFile(localPath: string, remotePath: string, opts: PutOptions): Promise<void> {
    const mode = parseMode(opts.mode);
    const io = { host: this.host, exec: (cmd: RemoteCommand) => this.exec(cmd) };
    const beside = statSync(localPath).size >= BESIDE_FROM_BYTES ? await this.#placer.dirBeside(io, remotePath, await this.#privateTmp()) : null;
    if (!beside) {
      const tmp = await this.#uploadPath();
      await this.inner.putFile(localPath, tmp, { mode: '0600' });
      return this.#install(tmp, remotePath, mode, opts.owner);
    }
    try {
      await this.inner.putFile(localPath, `${beside}/upload`, { mode: '0600' });
    } catch (err) {
      await this.exec({ argv: ['rm', '-rf', '--', beside], timeoutMs: 60_000 }).catch(() => undefined);
      throw err;
    }
    await this.#placer.moveFromBeside(io, `${beside}/upload`, remotePath, mode, opts.owner ?? `${this.become.user}:`);
  }

  async read(remotePath: string): Promise<Uint8Array | undefined> {
    const r = await this.exec({ argv: readArgv(remotePath) });
    if (r.exitCode === READ_ABSENT) return undefined;
    if (r.exitCode !== 0) throw new TransportError(this.host, 'protocol', `cannot read ${remotePath}: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
    return Buffer.from(r.stdout, 'base64');
  }

  stat(remotePath: string): Promise<RemoteStat | undefined> {
    return statWith(this.host, (cmd) => this.exec(cmd), remotePath);
  }

  async close(): Promise<void> {
    // The temp directory holds only uploads that failed half-way: remove it as the login user, best effort. A run
    // that uploaded nothing made none (plan, status, a provision with nothing to change): no command at all.
    const tmpDir = await this.#tmpDir?.catch(() => undefined);
    if (tmpDir) await this.inner.exec({ argv: ['rm', '-rf', '--', tmpDir], timeoutMs: 10_000 }).catch(() => undefined);
    await this.inner.close();
  }

  /** Made once, by the first upload that needs it (uploads run in parallel: they share the one promise). */
  #privateTmp(): Promise<string> {
    this.#tmpDir ??= makePrivateTmp(this.inner);
    const made = this.#tmpDir;
    made.catch(() => {
      if (this.#tmpDir === made) this.#tmpDir = undefined; // the next upload tries again
    });
    return made;
  }

  async #uploadPath(): Promise<string> {
    const n = ++this.#uploads;
    return `${await this.#privateTmp()}/upload-${n}`;
  }

  async #install(tmp: string, dest: string, mode: number, owner: string | undefined, replaces?: readonly (string | null)[]): Promise<void> {
    // Without an owner the file belongs to the become user, as it would to a root login.
    await this.#placer.placeFrom({ host: this.host, exec: (cmd) => this.exec(cmd) }, tmp, dest, mode, owner ?? `${this.become.user}:`, replaces);
  }
}

/**
 * Checks sudo on the host (before any change) and wraps the transport; `first` (an argv) runs as the become user in
 * the check's own sudo, and its answer comes back beside the transport. Throws TransportError kind 'become'.
 */
export async function openBecome(inner: Transport, become: BecomeSpec, login?: string, first: readonly string[] = [], firstTimeoutMs = 0,
): Promise<{ transport: BecomeTransport; first?: FirstAnswer }> {
  const check = await checkBecome(inner, become, login, first, firstTimeoutMs);
  const transport = new BecomeTransport(inner, become, check.needsPassword ? become.password : undefined);
  return check.first ? { transport, first: check.first } : { transport };
}

export async function withBecome(inner: Transport, become: BecomeSpec, login?: string): Promise<BecomeTransport> {
  return (await openBecome(inner, become, login)).transport;
}
