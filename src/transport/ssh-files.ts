/** SFTP side of the SSH transport: put and putFile through FilePlacer (place-file.ts), read. */
import { TransportError } from '../errors.js';
import type { ExecResult, PutOptions, RemoteCommand } from './transport.js';
import { FilePlacer, type PlaceIo } from './place-file.js';
import { parseMode } from './stat-probe.js';
import { SFTP_NO_SUCH_FILE, type Sftp, type SftpError } from './ssh2-types.js';

/** Temp files are created 0600, so content (maybe secret) is never readable by others before its final mode. */
const TEMP_MODE = 0o600;

/**
 * Bulk uploads (putFile): SFTP write requests of PUT_CHUNK bytes, PUT_REQUESTS in flight. ssh2's default (32 KiB)
 * plus the write request's header is just over sshd's 32 KiB channel packet, so every request went out as a full
 * packet and a 30-byte one, and a request costs JavaScript per chunk on the controller's one thread. 128 KiB less 64
 * bytes fills exactly four channel packets; 16 of them keep 2 MiB in flight, sshd's channel window. Measured with
 * bench/upload.ts (4 uploads at once): controller CPU per MB down by about a third, throughput up (figures in the
 * commit). OpenSSH's sftp-server accepts writes up to 255 KiB (limits@openssh.com); ssh2 splits anything larger.
 */
const PUT_CHUNK = 4 * 32768 - 64;
const PUT_REQUESTS = 16;

type Exec = (cmd: RemoteCommand) => Promise<ExecResult>;

function call(fn: (cb: (err: SftpError | null | undefined) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));
}

export class SftpFiles {
  readonly #placer = new FilePlacer();

  constructor(
    private readonly host: string,
    private readonly sftp: () => Promise<Sftp>,
    private readonly exec: Exec,
  ) {}

  async put(content: string | Uint8Array, dest: string, opts: PutOptions): Promise<void> {
    const mode = parseMode(opts.mode);
    // ssh2 stringifies anything that is not a Buffer ("0,255,10"), so hand it one over the same memory.
    const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
    await this.#atomically(dest, mode, opts.owner, (sftp, tmp) =>
      call((cb) => sftp.writeFile(tmp, bytes, { mode: TEMP_MODE }, cb)));
  }

  async putFile(localPath: string, dest: string, opts: PutOptions): Promise<void> {
    const mode = parseMode(opts.mode);
    await this.#atomically(dest, mode, opts.owner, (sftp, tmp) =>
      call((cb) => sftp.fastPut(localPath, tmp, { mode: TEMP_MODE, concurrency: PUT_REQUESTS, chunkSize: PUT_CHUNK }, cb)));
  }

  async read(path: string): Promise<Uint8Array | undefined> {
    const sftp = await this.sftp();
    return new Promise((resolve, reject) => {
      sftp.readFile(path, (err, data) => {
        if (!err) return resolve(data);
        if (err.code === SFTP_NO_SUCH_FILE) return resolve(undefined);
        reject(this.#fail(`cannot read ${path}`, err));
      });
    });
  }

  async #atomically(dest: string, mode: number, owner: string | undefined,
    write: (sftp: Sftp, tmp: string) => Promise<void>): Promise<void> {
    const sftp = await this.sftp();
    const io: PlaceIo = {
      host: this.host,
      exec: (cmd) => this.exec(cmd),
      write: (path) => write(sftp, path),
      chmod: (path, m) => call((cb) => sftp.chmod(path, m, cb)),
      rename: (from, to) => call((cb) => sftp.ext_openssh_rename(from, to, cb)),
      unlink: (path) => call((cb) => sftp.unlink(path, cb)),
    };
    await this.#placer.place(io, dest, mode, owner);
  }

  #fail(what: string, err: unknown): TransportError {
    if (err instanceof TransportError) return err;
    const e = new TransportError(this.host, 'protocol', `${what}: ${(err as Error).message}`);
    e.cause = err;
    return e;
  }
}
