/** SFTP side of the SSH transport: atomic put (temp beside destination, chmod, chown, rename), putFile, read. */
import { TransportError } from '../errors.js';
import type { ExecResult, PutOptions, RemoteCommand } from './transport.js';
import { chownAndRenameArgv, tempPathBeside } from './atomic-write.js';
import { parseMode } from './stat-probe.js';
import { SFTP_NO_SUCH_FILE, type Sftp, type SftpError } from './ssh2-types.js';

/** Temp files are created 0600, so content (maybe secret) is never readable by others before its final mode. */
const TEMP_MODE = 0o600;

type Exec = (cmd: RemoteCommand) => Promise<ExecResult>;

function call(fn: (cb: (err: SftpError | null | undefined) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => fn((err) => (err ? reject(err) : resolve())));
}

export class SftpFiles {
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
    // 64 requests of 32 KiB in flight keeps a LAN link full without exhausting sshd's window.
    await this.#atomically(dest, mode, opts.owner, (sftp, tmp) =>
      call((cb) => sftp.fastPut(localPath, tmp, { mode: TEMP_MODE, concurrency: 64, chunkSize: 32768 }, cb)));
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
    const tmp = tempPathBeside(dest);
    try {
      await write(sftp, tmp);
      await call((cb) => sftp.chmod(tmp, mode, cb));
      if (owner === undefined) {
        await call((cb) => sftp.ext_openssh_rename(tmp, dest, cb));
        return;
      }
    } catch (err) {
      await call((cb) => sftp.unlink(tmp, cb)).catch(() => undefined);
      throw this.#fail(`cannot write ${dest}`, err);
    }
    const r = await this.exec({ argv: chownAndRenameArgv(owner, tmp, dest) });
    if (r.exitCode !== 0) {
      throw new TransportError(this.host, 'protocol', `cannot set owner ${owner} and move ${dest} into place: ${r.stderr.trim()}`);
    }
  }

  #fail(what: string, err: unknown): TransportError {
    if (err instanceof TransportError) return err;
    const e = new TransportError(this.host, 'protocol', `${what}: ${(err as Error).message}`);
    e.cause = err;
    return e;
  }
}
