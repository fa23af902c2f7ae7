/**
 * The controller's sha256 of each distribution, JDK and driver, kept between runs: hashing five real-size archives
 * costs about 5 s of CPU per run. An entry is trusted while the file's device, inode, size, mtime and ctime (in
 * nanoseconds) are as recorded; ctime moves on any change and cannot be set back. `--verify` bypasses it.
 * One JSON file under $XDG_CACHE_HOME (or ~/.cache)/apim-deploy, written atomically; a cache it cannot read or
 * write only costs the hashing, never the run. Hashes of archives are no secret.
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileIdentity } from '../../files/file-identity.js';
import { cacheDir } from '../../files/identity-cache.js';

interface Entry {
  readonly id: string;
  readonly sha256: string;
  readonly used: number;
}

const MAX_ENTRIES = 256;

export function sha256CachePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'sha256.json');
}

async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export class Sha256Cache {
  readonly #file: string;
  readonly #entries: Map<string, Entry>;
  #dirty = false;

  constructor(file = sha256CachePath()) {
    this.#file = file;
    this.#entries = new Map(Object.entries(readEntries(file)));
  }

  /** sha256 of a local file: from the cache while the file is unchanged, else hashed (and recorded). */
  async hash(path: string, opts: { verify?: boolean } = {}): Promise<string> {
    const key = resolve(path);
    const id = fileIdentity(key);
    const known = this.#entries.get(key);
    if (!opts.verify && known?.id === id) {
      this.#entries.set(key, { ...known, used: Date.now() });
      this.#dirty = true;
      return known.sha256;
    }
    const sha256 = await sha256File(key);
    // Record only if the file did not change while it was read.
    if (fileIdentity(key) === id) {
      this.#entries.set(key, { id, sha256, used: Date.now() });
      this.#dirty = true;
    }
    return sha256;
  }

  /** Writes the cache (most recently used entries first, at most MAX_ENTRIES). Never throws. */
  save(): void {
    if (!this.#dirty) return;
    const kept = [...this.#entries].sort((a, b) => b[1].used - a[1].used).slice(0, MAX_ENTRIES);
    try {
      mkdirSync(join(this.#file, '..'), { recursive: true, mode: 0o700 });
      const tmp = `${this.#file}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(Object.fromEntries(kept))}\n`, { mode: 0o600 });
      renameSync(tmp, this.#file);
      this.#dirty = false;
    } catch {
      // A read-only home or a full disk costs the next run its hashing, nothing else.
    }
  }
}

function readEntries(file: string): Record<string, Entry> {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    const out: Record<string, Entry> = {};
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      const e = v as Partial<Entry> | null;
      if (e && typeof e.id === 'string' && typeof e.sha256 === 'string' && /^[0-9a-f]{64}$/.test(e.sha256) && typeof e.used === 'number') {
        out[k] = { id: e.id, sha256: e.sha256, used: e.used };
      }
    }
    return out;
  } catch {
    return {};
  }
}
