/**
 * When `migrate --finish` may run, and what runs after it may not. Pure over the controller's record and what the
 * balancers hold; the refusals are UsageErrors (exit 2) raised before anything changes.
 */
import { UsageError } from '../../errors.js';
import type { Inventory } from '../../model/inventory.js';
import type { BalancerTraffic } from '../status/traffic-side.js';
import { newestRecord, type MigrationRecord } from './record.js';

/** Why finish may not run now, or null: the switch recorded, and every balancer sends clients to green alone. */
export function finishRefusal(record: MigrationRecord | null, traffic: readonly BalancerTraffic[], want: { from: string; to: string; inventoryArg: string }): UsageError | null {
  const again = `apim-deploy migrate -i ${want.inventoryArg} --to ${want.to}`;
  if (!record || record.from !== want.from || record.to !== want.to) {
    return new UsageError(`no migration ${want.from} → ${want.to} recorded beside ${want.inventoryArg}: nothing to finish`, `see what runs: apim-deploy status -i ${want.inventoryArg}`);
  }
  if (record.finishedAt) {
    return new UsageError(`migration ${record.id} is finished already (${record.finishedAt})`, `the deployment is described by ${record.finishedInventory ?? 'the migrated inventory'}`);
  }
  if (!record.phasesDone.includes('switch')) {
    return new UsageError(`migration ${record.id} has not switched the balancers to green (phases done: ${record.phasesDone.join(', ') || 'none'}): blue still serves, finish would remove what serves`,
      `switch first (${again} --until switch), or give the migration up: ${again} --abort`);
  }
  const notGreen = traffic.filter((t) => t.side !== 'green');
  if (notGreen.length > 0) {
    const said = notGreen.map((t) => `${t.balancer}: ${t.side === 'unread' ? `cannot read its servers (${t.detail ?? 'no answer'})` : `sends clients to ${t.side} (${t.blue.length} blue server(s) in service)`}`);
    return new UsageError(`migration ${record.id} is recorded as switched, but traffic is not on green alone: ${said.join('; ')}`,
      `blue must take no client before it is removed: switch again (${again} --until switch) or roll back (${again} --rollback)`);
  }
  return null;
}

/** The finished migration whose blue this inventory still describes (its version is the one migrated from), or null. */
export function finishedMigrationOf(inventory: Pick<Inventory, 'file' | 'apim'>): MigrationRecord | null {
  return newestRecord(inventory.file, (r) => Boolean(r.finishedAt) && r.from === inventory.apim.version);
}

/**
 * provision, plan and upgrade of an inventory whose migration is finished: it still names blue's hosts at the old
 * version (removed by finish), and running it would install blue again beside green. Refused, naming the file that
 * describes the deployment now.
 */
export function refuseFinishedMigration(inventory: Pick<Inventory, 'file' | 'apim'>, command: string): void {
  const r = finishedMigrationOf(inventory);
  if (!r) return;
  throw new UsageError(`${command} refused: migration ${r.id} finished ${r.finishedAt}; this inventory still describes blue at ${r.from}, which was removed, and would install it again`,
    `use the migrated inventory ${r.finishedInventory ?? '(<inventory>.migrated.yaml)'} (review it, then move it over ${inventory.file}; its .env applies unchanged)`);
}
