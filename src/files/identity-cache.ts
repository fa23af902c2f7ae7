/**
 * Data derived from local files, kept between runs while none of those files changed: the validated role and
 * pattern catalogs (parsing and checking their YAML is about 40 % of `validate`). An entry holds, beside its value,
 * the identity (fileIdentity: device, inode, size, mtime, ctime) of every file it was computed from, the code that
 * computed it included; it is used only while every one of them is unchanged, and a missing file counts as an identity.
 * Nothing is cached when the computation throws, so a broken file is reported, with its file:line, on every run.
 * A cache that cannot be read or written only costs the computation, never the run. Holds no secrets.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileIdentity } from './file-identity.js';

/** $XDG_CACHE_HOME/apim-deploy, or ~/.cache/apim-deploy. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'apim-deploy');
}

/** Changes when the entry layout does. */
const FORMAT = 1;

type Identities = Record<string, string | null>;

interface Entry<T> {
  readonly format: number;
  readonly inputs: Identities;
  readonly deps: Identities;
  readonly value: T;
}

export interface Computed<T> {
  readonly value: T;
  /** Files the value turned out to depend on (known only once computed, e.g. templates a role names). */
  readonly deps: readonly string[];
}

const identityOrNull = (path: string): string | null => {
  try {
    return fileIdentity(path);
  } catch {
    return null;
  }
};

const identities = (paths: readonly string[]): Identities => Object.fromEntries(paths.map((p) => [resolve(p), identityOrNull(p)]));

const sameIdentities = (now: Identities, then: Identities | undefined): boolean =>
  then !== undefined && Object.keys(now).length === Object.keys(then).length && Object.entries(now).every(([p, id]) => then[p] === id);

const unchanged = (then: Identities | undefined): boolean =>
  then !== undefined && Object.entries(then).every(([p, id]) => identityOrNull(p) === id);

/** The cache file for data named `name` computed from `root` (one file per checkout, so clones do not evict each other). */
export function identityCacheFile(name: string, root: string, dir = cacheDir()): string {
  return join(dir, `${name}-${createHash('sha256').update(resolve(root)).digest('hex').slice(0, 16)}.json`);
}

/**
 * The value `compute` returns for `inputs` (files and directories; a directory's identity moves when an entry is
 * added, removed or renamed), from `file` while every input and dependency is unchanged, else computed and recorded.
 * The value must survive a JSON round trip unchanged.
 */
export function cachedByIdentity<T>(file: string, inputs: readonly string[], compute: () => Computed<T>): T {
  const now = identities(inputs);
  const entry = readEntry<T>(file);
  if (entry && entry.format === FORMAT && sameIdentities(now, entry.inputs) && unchanged(entry.deps)) return entry.value;
  const { value, deps } = compute();
  // Recorded only if no input moved while it was computed.
  if (sameIdentities(identities(inputs), now)) writeEntry(file, { format: FORMAT, inputs: now, deps: identities(deps), value });
  return value;
}

function readEntry<T>(file: string): Entry<T> | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Entry<T>;
  } catch {
    return undefined;
  }
}

function writeEntry<T>(file: string, entry: Entry<T>): void {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(entry), { mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    // Read-only or full: the next run computes again.
  }
}
