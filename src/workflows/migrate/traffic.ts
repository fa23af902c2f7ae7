import { defaultRoleCatalog } from '../../catalog/roles.js';
import { greenDatabaseClients } from '../../inventory/green-inventory.js';
import type { Inventory } from '../../model/inventory.js';
import { migrationFrom, recordedTraffic } from './record.js';

/**
 * The inventory as every run renders it while the controller records a migration that was not abandoned:
 * - after `migrate`'s switch (and until `--rollback`) the record says clients are on green, everywhere or in the
 *   datacenters it names, so those balancers render the green partners in their client upstreams;
 * - once green is provisioned, green's partners keep their grants on the green databases, so the database host
 *   renders as green's own run renders it; after `migrate --abort` too, while the inventory names them.
 * A plain `provision` (or `upgrade`, or a re-run of migrate's own phases) then keeps clients where the migration put
 * them and green on its databases, instead of quietly moving clients back to blue or revoking green's access.
 */
export function withOpenMigration(inv: Inventory): Inventory {
  if (!inv.green || inv.green.length === 0) return inv;
  // Only a migration from this inventory's version that is not finished: the record of an earlier migration, whose
  // migrated inventory was moved over this file, must not move the next migration's clients to its unverified green.
  const open = migrationFrom(inv.file, inv.apim.version);
  // Grants follow the newest such migration, abandoned too: `--abort` keeps green's hosts and databases, so green keeps
  // its grants while the inventory names the partners (removing `green:` and provisioning revokes them).
  const newest = migrationFrom(inv.file, inv.apim.version, { abandoned: true });
  if (!open && !newest) return inv;
  const traffic = recordedTraffic(open);
  // From the run that provisioned green on: before it, the database host holds blue's grants alone and is not drifted.
  const retainedDatabaseClients = newest?.phasesDone.includes('provision-green')
    ? greenDatabaseClients({ blue: inv, catalog: defaultRoleCatalog(), to: newest.to, databases: new Map(newest.databases.map((d) => [d.blue, d.green])) })
    : [];
  return { ...inv, ...(traffic ? { traffic } : {}), ...(retainedDatabaseClients.length > 0 ? { retainedDatabaseClients } : {}) };
}
