import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { ConfigError } from '../../errors.js';
import type { ArtifactRef, DistributionKind, Inventory } from '../../model/inventory.js';
import type { RenderedNode } from '../../render/render-inventory.js';
import type { ArtifactKey, LocalArtifact } from '../../planner/inputs.js';
import { sniffArchive } from '../../files/archive-index.js';
import { Sha256Cache } from './sha256-cache.js';

export interface HashOptions {
  /** Hash every file again instead of trusting the controller's cache. */
  readonly verify?: boolean;
  readonly cache?: Sha256Cache;
}

async function hashArtifact(key: LocalArtifact['key'], ref: ArtifactRef, cache: Sha256Cache, verify: boolean): Promise<LocalArtifact> {
  const where = `${ref.pos.file}:${ref.pos.line}:${ref.pos.col}`;
  let size: number;
  try {
    size = statSync(ref.path).size;
  } catch {
    throw new ConfigError(`${where}: ${key}: file not found: ${ref.path}`, [], 'build or download it first (lab: apim-deploy lab dist --version V)');
  }
  const sha256 = await cache.hash(ref.path, { verify });
  if (ref.sha256 && ref.sha256.toLowerCase() !== sha256) {
    throw new ConfigError(`${where}: ${key}: ${ref.path} has sha256 ${sha256}, the inventory expects ${ref.sha256}`, [],
      'the file is corrupt or not the one the inventory names: replace it or fix the sha256');
  }
  const format = key === 'jdbc-driver' ? 'file' : sniffArchive(ref.path);
  if (format === undefined) throw new ConfigError(`${where}: ${key}: ${ref.path} is not an archive (neither a zip nor a gzip-compressed tar)`, [], 'point it at the distribution or JDK archive');
  return { key, localPath: ref.path, fileName: basename(ref.path), format, sha256, size };
}

/**
 * Hashes the JDK and every distribution the inventory's nodes run, and the JDBC driver when a node that opens the
 * databases runs (once per run, in parallel; unchanged files from the controller's cache).
 */
export async function localArtifacts(inv: Inventory, rendered: readonly RenderedNode[], opts: HashOptions = {}): Promise<Partial<Record<ArtifactKey, LocalArtifact>>> {
  const cache = opts.cache ?? new Sha256Cache();
  const verify = opts.verify ?? false;
  const kinds = new Set<DistributionKind>();
  for (const r of rendered) if (r.runtime.distribution) kinds.add(r.runtime.distribution);
  const jobs: Promise<LocalArtifact>[] = [];
  for (const kind of kinds) {
    const ref = inv.apim.distributions[kind];
    if (!ref) throw new ConfigError(`apim.distributions.${kind} is needed by the roles in this inventory but not set`);
    jobs.push(hashArtifact(kind, ref, cache, verify));
  }
  if (kinds.size > 0) jobs.push(hashArtifact('jdk', inv.apim.jdk, cache, verify));
  const driver = inv.apim.jdbcDriver;
  if (driver && rendered.some((r) => r.runtime.databaseClient)) jobs.push(hashArtifact('jdbc-driver', driver, cache, verify));
  const out: Partial<Record<ArtifactKey, LocalArtifact>> = {};
  for (const a of await Promise.all(jobs)) out[a.key] = a;
  cache.save();
  return out;
}
