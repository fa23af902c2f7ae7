import { createHash, randomBytes } from 'node:crypto';
import { closeSync, constants, mkdirSync, openSync, readFileSync, readSync, renameSync, writeFileSync } from 'node:fs';
import { cacheDir } from './identity-cache.js';
import { join } from 'node:path';
import { fileIdentity } from './file-identity.js';
import { tarGzHead, TarFormatError } from './tar-head.js';
import { zipDirectory, ZipFormatError } from './zip-directory.js';

/**
 * What an archive the inventory names holds near its top (entries at most three levels deep: the top directory,
 * bin/java, bin/<start script>.sh, META-INF/services/...), enough to tell a WSO2 pack of a given kind and version,
 * a JDK or a JDBC driver from anything else. A zip is listed from its central directory alone; a .tar.gz is read
 * until `bin/java` shows up. Summaries are cached per file identity (device, inode, size, mtime), in memory and in
 * the user's cache directory, so validating real-size archives again costs a stat.
 */
export interface ArchiveSummary {
  readonly format: 'zip' | 'tar.gz';
  /** Entry names at most three levels deep ("a/", "a/bin/", "a/bin/java"), directories with their slash. */
  readonly names: readonly string[];
  /** tar.gz: false when reading stopped at bin/java (names below it were not all seen). */
  readonly complete: boolean;
}

export class ArchiveError extends Error {}

const DEPTH = 3;
const shallow = (name: string): boolean => name.replace(/\/$/, '').split('/').length <= DEPTH;
const JAVA = /^[^/]+\/bin\/java$/;
const CACHE_VERSION = 1;
const CACHE_ENTRIES = 64;

const memory = new Map<string, ArchiveSummary>();

function cacheFile(): string {
  return join(cacheDir(), 'archives.json');
}

interface CacheDoc {
  readonly version: number;
  readonly entries: Record<string, ArchiveSummary>;
}

function readCache(): CacheDoc {
  try {
    const doc = JSON.parse(readFileSync(cacheFile(), 'utf8')) as CacheDoc;
    return doc.version === CACHE_VERSION && doc.entries && typeof doc.entries === 'object' ? doc : { version: CACHE_VERSION, entries: {} };
  } catch {
    return { version: CACHE_VERSION, entries: {} };
  }
}

/** Best effort: a cache that cannot be written only costs the next validate a re-read. */
function writeCache(key: string, summary: ArchiveSummary): void {
  try {
    const doc = readCache();
    const entries = Object.entries({ ...doc.entries, [key]: summary }).slice(-CACHE_ENTRIES);
    const file = cacheFile();
    mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: CACHE_VERSION, entries: Object.fromEntries(entries) }), { mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    // read-only home, full disk: fine
  }
}

function identity(path: string): string {
  return createHash('sha256').update(`${path}\0${fileIdentity(path)}`).digest('hex');
}

async function readSummary(path: string, format: 'zip' | 'tar.gz'): Promise<ArchiveSummary> {
  if (format === 'zip') {
    const names = zipDirectory(path).map((e) => e.name).filter(shallow);
    return { format, names, complete: true };
  }
  const head = await tarGzHead(path, (names) => JAVA.test(names[names.length - 1] ?? ''));
  return { format, names: head.names.filter(shallow), complete: !head.stopped };
}

/** What the first bytes say: gzip (tar.gz), zip, or neither. Archives are recognised by content, not by name. */
export function sniffArchive(path: string): 'zip' | 'tar.gz' | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
    const head = Buffer.alloc(4);
    const n = readSync(fd, head, 0, 4, 0);
    if (n >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'tar.gz';
    if (n === 4 && head.readUInt32LE(0) === 0x04034b50) return 'zip';
    // An empty zip is its end record alone.
    if (n === 4 && head.readUInt32LE(0) === 0x06054b50) return 'zip';
    return undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The archive at `path` (a regular file: callers check that first), or an ArchiveError whose message follows the
 * file name ("is not a zip archive ...").
 */
export async function archiveSummary(path: string, format: 'zip' | 'tar.gz'): Promise<ArchiveSummary> {
  let key: string;
  try {
    key = identity(path);
  } catch (err) {
    throw new ArchiveError(`cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const known = memory.get(key) ?? readCache().entries[key];
  if (known && known.format === format) return known;
  let summary: ArchiveSummary;
  try {
    summary = await readSummary(path, format);
  } catch (err) {
    if (err instanceof ZipFormatError || err instanceof TarFormatError) throw new ArchiveError(err.message);
    throw err;
  }
  memory.set(key, summary);
  writeCache(key, summary);
  return summary;
}
