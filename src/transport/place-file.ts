/**
 * One way to put a file in place, for every transport (the SSH one over SFTP, the local one over node:fs, the become
 * one over sudo): the destination directory is classified once per connection (atomic-write.ts), then root writes
 * beside it in a directory only root can change, or the user who controls the directory places its own file from a
 * copy only root can reach. Anything else is refused, naming the directory.
 */
import { posix } from 'node:path';
import { PlaceDriftError, TransportError } from '../errors.js';
import {
  chainArgv, CHECK_REFUSED, checkAndPlaceArgv, chownAndRenameArgv, guardDrift, guardedArgv, moveIntoPlaceArgv, parseChain, placeAsOwnerArgv, splitOwner, stagedPath,
  tempPathBeside, uploadDirBesideArgv, type DirChain,
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

  async #chain(io: Pick<PlaceIo, 'host' | 'exec'>, dir: string): Promise<DirChain> {
    const known = this.#chains.get(dir);
    if (known) return known;
    const r = await io.exec({ argv: chainArgv(dir) });
    if (r.exitCode !== 0) throw checkFailed(io.host, dir, r);
    return this.#remember(dir, parseChain(r.stdout));
  }

  /** Keeps a verdict a file may be placed under; a later `missing` or `unsafe` answer drops the one kept before. */
  #remember(dir: string, chain: DirChain): DirChain {
    if (chain.kind !== 'missing' && chain.kind !== 'unsafe') this.#chains.set(dir, chain);
    else this.#chains.delete(dir);
    return chain;
  }

  /** The directory's chain when a file may go there; refusals as TransportError. */
  async #usable(io: Pick<PlaceIo, 'host' | 'exec'>, dest: string): Promise<Exclude<DirChain, { kind: 'missing' | 'unsafe' }>> {
    return this.#allowed(io, dest, await this.#chain(io, posix.dirname(dest)));
  }

  #allowed(io: Pick<PlaceIo, 'host'>, dest: string, chain: DirChain): Exclude<DirChain, { kind: 'missing' | 'unsafe' }> {
    const dir = posix.dirname(dest);
    if (chain.kind === 'missing') throw new TransportError(io.host, 'protocol', `cannot write ${dest}: ${dir} does not exist`);
    if (chain.kind === 'unsafe') {
      throw new TransportError(io.host, 'protocol', `will not write ${dest}: ${chain.why}`, 'make the directories on the way owned by root (or by the one user the file belongs to) and not writable by others');
    }
    return chain;
  }

  /** In a user's directory only that user's own files go, and that user places them. */
  #ownerIn(io: Pick<PlaceIo, 'host'>, chain: { readonly user: string }, dest: string, ownerSpec: string | undefined): { group: string | undefined } {
    const owner = splitOwner(ownerSpec ?? '');
    if (owner.user !== chain.user) {
      throw new TransportError(io.host, 'protocol', `will not write ${dest} as ${owner.user || 'root'}'s file: ${chain.user} controls ${posix.dirname(dest)}, so only ${chain.user}'s own files go there`);
    }
    return owner;
  }

  async place(io: PlaceIo, dest: string, mode: number, ownerSpec: string | undefined): Promise<void> {
    const chain = await this.#usable(io, dest);
    if (chain.kind !== 'user') return this.#beside(io, dest, mode, ownerSpec);
    const owner = this.#ownerIn(io, chain, dest, ownerSpec);
    const staged = stagedPath();
    try {
      await io.write(staged);
    } catch (err) {
      await io.unlink(staged).catch(() => undefined);
      throw this.#fail(io, `cannot stage ${dest}`, err);
    }
    await this.#run(io, placeAsOwnerArgv(chain.user, staged, dest, octal(mode), owner.group), `cannot place ${dest} as ${chain.user}`);
  }

  /**
   * Where root alone can change `dest`'s directory (chain `root`, checked once per directory like every placement), a
   * directory beside it, owned like `ownedLike` (the login user's private temp directory), for a large upload to be
   * written on the same filesystem; null elsewhere, or when root could not make it. `io.exec` runs as root. The check,
   * when this connection has not made it yet, runs in the command that makes the directory.
   */
  async dirBeside(io: Pick<PlaceIo, 'host' | 'exec'>, dest: string, ownedLike: string): Promise<string | null> {
    const dir = posix.dirname(dest);
    const known = this.#chains.get(dir);
    if (known && known.kind !== 'root') return null;
    const r = await io.exec({ argv: uploadDirBesideArgv(dest, ownedLike) });
    const [verdict = '', made = ''] = r.stdout.split('\n');
    if (verdict === '') throw checkFailed(io.host, dir, r);
    return this.#remember(dir, parseChain(verdict)).kind === 'root' && r.exitCode === 0 && made !== '' ? made : null;
  }

  /**
   * The upload sits in the directory dirBeside made for `dest`: one command moves it into place (a rename on that
   * filesystem) and removes that directory, whatever happens. Root's directory alone, as dirBeside made it there.
   */
  async moveFromBeside(io: Pick<PlaceIo, 'host' | 'exec'>, upload: string, dest: string, mode: number, ownerSpec: string): Promise<void> {
    if (this.#chains.get(posix.dirname(dest))?.kind !== 'root') {
      throw new TransportError(io.host, 'protocol', `will not move ${dest} into place from beside it: ${posix.dirname(dest)} was not found root's alone on this connection`);
    }
    await this.#run(io, moveIntoPlaceArgv(upload, dest, octal(mode), ownerSpec, posix.dirname(upload)), cannotMove(dest, ownerSpec, mode));
  }

  /**
   * The content already sits at `upload`, a file only root and the login user reach (the become transport's private
   * temp directory), and `io.exec` runs as root: one command moves it beside `dest` and into place, or has the
   * directory's user place it. The upload is removed whatever happens. With `replaces`, the same command first checks
   * that `dest` still holds one of them (a sha256, null: absent), and places nothing otherwise (PlaceDriftError).
   */
  async placeFrom(io: Pick<PlaceIo, 'host' | 'exec'>, upload: string, dest: string, mode: number, ownerSpec: string, replaces?: readonly (string | null)[]): Promise<void> {
    const guard = (argv: string[]): string[] => (replaces ? guardedArgv(dest, upload, replaces, argv) : argv);
    if (!this.#chains.has(posix.dirname(dest))) return this.#checkAndPlaceFrom(io, upload, dest, mode, ownerSpec, guard);
    let argv: string[];
    try {
      const chain = await this.#usable(io, dest);
      argv = chain.kind === 'user'
        ? placeAsOwnerArgv(chain.user, upload, dest, octal(mode), this.#ownerIn(io, chain, dest, ownerSpec).group)
        : moveIntoPlaceArgv(upload, dest, octal(mode), ownerSpec);
    } catch (err) {
      await io.exec({ argv: ['rm', '-f', '--', upload] }).catch(() => undefined);
      throw err;
    }
    await this.#run(io, guard(argv), cannotMove(dest, ownerSpec, mode), replaces ? dest : undefined);
  }

  /**
   * placeFrom into a directory this connection has not checked yet: the check and the placement it allows in one
   * command (CHECK_AND_PLACE), its verdict remembered as #chain would; a refusal is worded from the verdict, as
   * #usable and #ownerIn word it.
   */
  async #checkAndPlaceFrom(io: Pick<PlaceIo, 'host' | 'exec'>, upload: string, dest: string, mode: number, ownerSpec: string, guard: (argv: string[]) => string[]): Promise<void> {
    const r = await io.exec({ argv: guard(checkAndPlaceArgv(upload, dest, octal(mode), ownerSpec)) });
    throwOnDrift(io.host, dest, r);
    const [verdict = '', outcome] = r.stdout.split('\n');
    if (verdict === '') throw checkFailed(io.host, posix.dirname(dest), r);
    const chain = this.#allowed(io, dest, this.#remember(posix.dirname(dest), parseChain(verdict)));
    if (chain.kind === 'user') this.#ownerIn(io, chain, dest, ownerSpec);
    if (outcome === CHECK_REFUSED) throw new TransportError(io.host, 'protocol', `will not write ${dest}: the host refused (${verdict})`);
    if (r.exitCode !== 0) {
      throw new TransportError(io.host, 'protocol', `${cannotMove(dest, ownerSpec, mode)}: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
    }
  }

  /** Runs a placement command; with `guarded` (its destination), a guard's refusal is a PlaceDriftError. */
  async #run(io: Pick<PlaceIo, 'host' | 'exec'>, argv: string[], what: string, guarded?: string): Promise<void> {
    const r = await io.exec({ argv });
    if (guarded !== undefined) throwOnDrift(io.host, guarded, r);
    if (r.exitCode !== 0) throw new TransportError(io.host, 'protocol', `${what}: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
  }

  /** Nobody but root (or the non-root writer itself) can change `dest`'s directory: temp beside it, mode, owner (chown -h), rename. */
  async #beside(io: PlaceIo, dest: string, mode: number, owner: string | undefined): Promise<void> {
    const tmp = tempPathBeside(dest);
    try {
      await io.write(tmp);
      await io.chmod(tmp, mode);
      if (owner === undefined) return await io.rename(tmp, dest);
    } catch (err) {
      await io.unlink(tmp).catch(() => undefined);
      throw this.#fail(io, `cannot write ${dest}`, err);
    }
    await this.#run(io, chownAndRenameArgv(owner, tmp, dest), `cannot set owner ${owner} and move ${dest} into place`);
  }

  #fail(io: PlaceIo, what: string, err: unknown): TransportError {
    if (err instanceof TransportError) return err;
    const e = new TransportError(io.host, 'protocol', `${what}: ${(err as Error).message}`);
    e.cause = err;
    return e;
  }
}

const octal = (mode: number): string => mode.toString(8).padStart(4, '0');

const cannotMove = (dest: string, owner: string, mode: number): string => `cannot move ${dest} into place (owner ${owner}, mode ${octal(mode)})`;

/** The guard found `dest` holding something it was not to replace: nothing was placed, the upload is gone. */
function throwOnDrift(host: string, dest: string, r: ExecResult): void {
  const found = guardDrift(r);
  if (found !== undefined) throw new PlaceDriftError(host, dest, found);
}

const checkFailed = (host: string, dir: string, r: ExecResult): TransportError =>
  new TransportError(host, 'protocol', `cannot check who may change ${dir}: ${r.stderr.trim() || `exit ${r.exitCode}`}`);
