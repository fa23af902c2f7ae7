/**
 * A per-user cache for lab build products that are slow to make but fixed by their inputs (the jlinked JDK, the
 * compiled Java helpers): keyed by the sha256 of everything that goes in, so a changed input never reuses old bytes.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export function cacheDir(): string {
  const base = process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  return join(base, 'apim-deploy', 'lab');
}

export function cacheKey(parts: readonly (string | Buffer)[]): string {
  const hash = createHash('sha256');
  for (const p of parts) hash.update(typeof p === 'string' ? Buffer.from(p) : p).update('\0');
  return hash.digest('hex').slice(0, 32);
}

/** The cached bytes for `name`, or `make()`'s, stored for next time (written to a temp name, then renamed). */
export async function cached(name: string, make: () => Promise<Buffer>): Promise<Buffer> {
  const path = join(cacheDir(), name);
  const hit = await readFile(path).catch(() => undefined);
  if (hit) return hit;
  const data = await make();
  await mkdir(cacheDir(), { recursive: true });
  const temp = `${path}.tmp-${process.pid}`;
  await writeFile(temp, data);
  await rename(temp, path);
  return data;
}
