import { createHash } from 'node:crypto';
import { ConfigError } from '../../errors.js';
import type { FileContent } from '../../model/plan.js';
import type { RenderedNode } from '../../render/render-inventory.js';
import type { LocalArtifact } from '../../planner/inputs.js';
import { entryFor, readEntry, zipEntries } from './zip.js';

/** Packs that carry dbscripts/, in order of preference. */
export const SCRIPT_SOURCES = ['acp', 'all-in-one'] as const;

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/** sha256 of each file a WSO2 node renders, as the distribution ships it (what a fresh unpack holds). */
export async function packDefaults(rendered: readonly RenderedNode[], artifacts: Partial<Record<string, LocalArtifact>>): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const byKind = new Map<string, Set<string>>();
  for (const r of rendered) {
    if (!r.runtime.distribution) continue;
    const dests = byKind.get(r.runtime.distribution) ?? byKind.set(r.runtime.distribution, new Set()).get(r.runtime.distribution)!;
    for (const f of r.files) if (!f.dest.startsWith('/')) dests.add(f.dest);
  }
  await Promise.all([...byKind].map(async ([kind, dests]) => {
    const zip = artifacts[kind];
    if (!zip) return;
    const entries = await zipEntries(zip.localPath);
    for (const dest of dests) {
      const entry = entryFor(entries, dest);
      if (entry) out.set(packDefaultKey(kind, dest), sha256(await readEntry(zip.localPath, entry)));
    }
  }));
  return out;
}

export const packDefaultKey = (distribution: string, dest: string): string => `${distribution}:${dest}`;

/**
 * Reads the files setup commands take out of a distribution (the database role's dbscripts), from the
 * local zip: `<top dir>/<path>`.
 */
export async function distributionFiles(rendered: readonly RenderedNode[], artifacts: Partial<Record<string, LocalArtifact>>): Promise<Map<string, FileContent>> {
  const wanted = new Set(rendered.flatMap((r) => r.runtime.setup.flatMap((s) => (s.upload ? [s.upload.pathInDistribution] : []))));
  const out = new Map<string, FileContent>();
  if (wanted.size === 0) return out;
  const source = SCRIPT_SOURCES.map((k) => artifacts[k]).find((a) => a !== undefined);
  if (!source) throw new ConfigError('the database role loads dbscripts from the acp or all-in-one distribution, and the inventory uses neither');
  const entries = await zipEntries(source.localPath);
  for (const path of wanted) {
    const entry = entryFor(entries, path);
    if (!entry) throw new ConfigError(`${source.localPath} has no ${path}`, [], 'is it a WSO2 API Manager distribution?');
    const content = (await readEntry(source.localPath, entry)).toString('utf8');
    out.set(path, { sha256: sha256(content), content, secret: false });
  }
  return out;
}
