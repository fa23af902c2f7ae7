import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { UsageError } from '../errors.js';
import { loadInventory } from '../inventory/load.js';
import { resolveInventoryPath } from '../inventory/paths.js';
import type { ArtifactRef, DistributionKind, Inventory } from '../model/inventory.js';

interface WrittenArtifact {
  readonly path?: unknown;
  readonly sha256?: unknown;
}

/**
 * The inventory as the upgrade's desired state: its own `apim.version`, or `--to` for this run only. With
 * `--to`, distribution paths written with `{version}` are resolved again for that version (and their pinned
 * sha256, which named the other version's file, is dropped).
 */
export async function loadUpgradeInventory(file: string, opts: { envFile?: string; to?: string }): Promise<Inventory> {
  const inv = await loadInventory(file, opts.envFile ? { envFile: opts.envFile } : {});
  if (!opts.to || opts.to === inv.apim.version) return inv;
  if (!/^4\.\d+\.\d+$/.test(opts.to)) throw new UsageError(`--to ${opts.to}: expected a 4.x.y API Manager version, e.g. 4.6.0`);
  const written = parse(readFileSync(inv.file, 'utf8')) as { apim?: { distributions?: Record<string, WrittenArtifact>; jdk?: WrittenArtifact } };
  const again = (ref: ArtifactRef, raw: WrittenArtifact | undefined): ArtifactRef => {
    if (typeof raw?.path !== 'string' || !raw.path.includes('{version}')) return ref;
    return { path: resolveInventoryPath(inv.file, raw.path.replaceAll('{version}', opts.to!)), pos: ref.pos };
  };
  const distributions: Partial<Record<DistributionKind, ArtifactRef>> = {};
  for (const [kind, ref] of Object.entries(inv.apim.distributions) as [DistributionKind, ArtifactRef][]) {
    distributions[kind] = again(ref, written.apim?.distributions?.[kind]);
  }
  const jdkRef = again(inv.apim.jdk, written.apim?.jdk);
  const jdk = jdkRef === inv.apim.jdk ? inv.apim.jdk : { ...jdkRef, ...(inv.apim.jdk.version ? { version: inv.apim.jdk.version } : {}) };
  return { ...inv, apim: { ...inv.apim, version: opts.to, distributions, jdk } };
}
