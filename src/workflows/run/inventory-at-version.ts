import { UsageError } from '../../errors.js';
import { defaultRoleCatalog } from '../../catalog/roles.js';
import { checkArchivesAt } from '../../inventory/archives.js';
import { inventoryAtVersion } from '../../inventory/at-version.js';
import { loadInventory } from '../../inventory/load.js';
import type { Inventory } from '../../model/inventory.js';
import { secretOptions, type SecretOptions } from '../../secrets/sources.js';

/**
 * The inventory as the upgrade's desired state: its own `apim.version`, or `--to` for this run only (distribution
 * paths written with `{version}` resolve again for that version).
 */
export async function loadUpgradeInventory(file: string, opts: SecretOptions & { to?: string }): Promise<Inventory> {
  const inv = await loadInventory(file, secretOptions(opts));
  if (!opts.to || opts.to === inv.apim.version) return inv;
  if (!/^4\.\d+\.\d+$/.test(opts.to)) throw new UsageError(`--to ${opts.to}: expected a 4.x.y API Manager version, e.g. 4.6.0`);
  const moved = inventoryAtVersion(inv, opts.to);
  await checkArchivesAt(moved, defaultRoleCatalog());
  return moved;
}
