/**
 * One way to put a file in place, for every transport (the SSH one over SFTP, the local one over node:fs): the
 * destination directory is classified once per connection (atomic-write.ts), then root writes beside it in a
 * directory only root can change, or the user who controls the directory places its own file from root's private
 * staging copy. Anything else is refused, naming the directory.
 */
import { posix } from 'node:path';
import { TransportError } from '../errors.js';
import {
  chainArgv, chownAndRenameArgv, parseChain, placeAsOwnerArgv, splitOwner, stagedPath, tempPathBeside, type DirChain,
} from './atomic-write.js';
import type { ExecResult, RemoteCommand } from './transport.js';

/** What a transport gives the placement: its own exec and file primitives. */
export interface PlaceIo {
  readonly host: string;
  exec(cmd: RemoteCommand): Promise<ExecResult>;
  /** Writes the content (or copies the local file) to `path`, created 0600. */
  write(path: string): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
}

export class FilePlacer {
  readonly #chains = new Map<string, DirChain>();

  async #chain(io: PlaceIo, dir: string): Promise<DirChain> {
    const known = this.#chains.get(dir);
    if (known) return known;
    const r = await io.exec({ argv: chainArgv(dir) });
    if (r.exitCode !== 0) throw new TransportError(io.host, 'protocol', `cannot check who may change ${dir}: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
    const chain = parseChain(r.stdout);
    if (chain.kind === 'root' || chain.kind === 'user') this.#chains.set(dir, chain);
    return chain;
  }

  async place(io: PlaceIo, dest: string, mode: number, ownerSpec: string | undefined): Promise<void> {
    const dir = posix.dirname(dest);
    const chain = await this.#chain(io, dir);
    if (chain.kind === 'missing') throw new TransportError(io.host, 'protocol', `cannot write ${dest}: ${dir} does not exist`);
    if (chain.kind === 'unsafe') {
      throw new TransportError(io.host, 'protocol', `will not write ${dest}: ${chain.why}`, 'make the directories on the way owned by root (or by the one user the file belongs to) and not writable by others');
    }
    if (chain.kind === 'root') return this.#asRoot(io, dest, mode, ownerSpec);
    const owner = splitOwner(ownerSpec ?? '');
    if (owner.user !== chain.user) {
      throw new TransportError(io.host, 'protocol', `will not write ${dest} for ${ownerSpec ?? 'root'}: ${chain.user} controls ${dir}, so only ${chain.user}'s own files go there`);
    }
    const staged = stagedPath();
    try {
      await io.write(staged);
    } catch (err) {
      await io.unlink(staged).catch(() => undefined);
      throw this.#fail(io, `cannot stage ${dest}`, err);
    }
    const r = await io.exec({ argv: placeAsOwnerArgv(chain.user, staged, dest, mode.toString(8).padStart(4, '0'), owner.group) });
    if (r.exitCode !== 0) throw new TransportError(io.host, 'protocol', `cannot place ${dest} as ${chain.user}: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
  }

  /** Nobody but root can change `dest`'s directory: temp beside it, mode, owner (chown -h), rename. */
  async #asRoot(io: PlaceIo, dest: string, mode: number, owner: string | undefined): Promise<void> {
    const tmp = tempPathBeside(dest);
    try {
      await io.write(tmp);
      await io.chmod(tmp, mode);
      if (owner === undefined) return await io.rename(tmp, dest);
    } catch (err) {
      await io.unlink(tmp).catch(() => undefined);
      throw this.#fail(io, `cannot write ${dest}`, err);
    }
    const r = await io.exec({ argv: chownAndRenameArgv(owner, tmp, dest) });
    if (r.exitCode !== 0) {
      throw new TransportError(io.host, 'protocol', `cannot set owner ${owner} and move ${dest} into place: ${r.stderr.trim()}`);
    }
  }

  #fail(io: PlaceIo, what: string, err: unknown): TransportError {
    if (err instanceof TransportError) return err;
    const e = new TransportError(io.host, 'protocol', `${what}: ${(err as Error).message}`);
    e.cause = err;
    return e;
  }
}
