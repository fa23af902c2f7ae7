import type { ArtifactRef, Inventory } from '../model/inventory.js';
import { resolveInventoryPath } from './paths.js';

/**
 * The inventory with another `apim.version` (upgrade --to): distribution and JDK paths written with `{version}`
 * resolve again for it, and their pinned sha256, which named the other version's file, is dropped. Pure; the
 * version is not checked.
 */
export function inventoryAtVersion(inv: Inventory, version: string): Inventory {
  if (version === inv.apim.version) return inv;
  const again = <T extends ArtifactRef>(ref: T): T => {
    if (!ref.written.includes('{version}')) return ref;
    const { sha256: _pinned, ...rest } = ref;
    return { ...rest, path: resolveInventoryPath(inv.file, ref.written.replaceAll('{version}', version)) } as T;
  };
  const distributions = Object.fromEntries(Object.entries(inv.apim.distributions).flatMap(([kind, ref]) => (ref ? [[kind, again(ref)]] : [])));
  return { ...inv, apim: { ...inv.apim, version, distributions, jdk: again(inv.apim.jdk) } };
}
