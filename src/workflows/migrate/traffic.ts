import type { Inventory } from '../../model/inventory.js';
import { openMigrationRecord } from './record.js';

/**
 * The inventory as every run renders it: after `migrate`'s switch (and until `--rollback`) the controller's migration
 * record says clients are on green, so the balancers render the green partners in their client upstreams. A plain
 * `provision` (or `upgrade`, or a re-run of migrate's own provision-green) then keeps clients where the migration put
 * them instead of quietly moving them back to blue.
 */
export function withMigrationTraffic(inv: Inventory): Inventory {
  if (!inv.green || inv.green.length === 0) return inv;
  return openMigrationRecord(inv.file)?.clients === 'green' ? { ...inv, traffic: 'green' } : inv;
}
