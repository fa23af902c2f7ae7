import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Traffic } from '../../model/inventory.js';
import type { MigrationPhaseName, MigrationPlan } from '../../model/migration.js';

/** The controller's record of a migration (beside its backup copies): what it is, and the phases it finished. */
export interface MigrationRecord {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly window: MigrationPlan['window'];
  readonly databaseHost: string;
  readonly databases: MigrationPlan['databases'];
  readonly green: readonly { readonly blue: string; readonly name: string; readonly address: string }[];
  readonly phasesDone: readonly MigrationPhaseName[];
  readonly updatedAt: string;
  /** Set by `migrate --abort`: blue writable again, green's databases and the backups kept. */
  readonly abandonedAt?: string;
  /** `green`: every balancer sends clients to green (the switch ran); absent: to blue (never switched, or rolled back). */
  readonly clients?: 'green';
  /**
   * Without `clients`: the datacenters whose balancers send clients to green, a multi-datacenter switch (or rollback)
   * having stopped between datacenters; the others send to blue.
   */
  readonly greenDatacenters?: readonly string[];
  /** When the clients last moved to green (the switch), and back to blue (`--rollback`). */
  readonly switchedAt?: string;
  readonly rolledBackAt?: string;
  /** Set by `migrate --finish`: blue stopped and removed, green is the deployment (`finishedInventory` names it). */
  readonly finishedAt?: string;
  readonly finishedInventory?: string;
}

export const RECORD_FILE = 'migration.json';

/** Writes the record (temp file, then rename) into the controller's migration directory. */
export function writeRecord(dir: string, plan: MigrationPlan, phasesDone: readonly MigrationPhaseName[], now = new Date()): void {
  const record: MigrationRecord = {
    id: plan.id, from: plan.from, to: plan.to, window: plan.window, databaseHost: plan.databaseHost, databases: plan.databases,
    green: plan.green.map((g) => ({ blue: g.blue, name: g.name, address: g.address })), phasesDone, updatedAt: now.toISOString(),
    ...trafficOf(readRecord(dir)),
  };
  saveRecord(dir, record);
}

function saveRecord(dir: string, record: MigrationRecord): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, RECORD_FILE);
  writeFileSync(`${file}.part`, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.part`, file);
}

/** The controller's record of a migration; null when this controller never ran it. */
export function readRecord(dir: string): MigrationRecord | null {
  const file = join(dir, RECORD_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as MigrationRecord) : null;
}

/** Marks the record abandoned (`migrate --abort`), keeping what it says about the phases done. */
export function markAbandoned(dir: string, record: MigrationRecord, now = new Date()): void {
  saveRecord(dir, { ...record, updatedAt: now.toISOString(), abandonedAt: now.toISOString() });
}

/** Which side clients are on, as a record says: a re-run that rewrites the record keeps it. */
const trafficOf = (r: MigrationRecord | null): Pick<MigrationRecord, 'clients' | 'greenDatacenters' | 'switchedAt' | 'rolledBackAt'> => ({
  ...(r?.clients ? { clients: r.clients } : {}), ...(r?.greenDatacenters ? { greenDatacenters: r.greenDatacenters } : {}),
  ...(r?.switchedAt ? { switchedAt: r.switchedAt } : {}), ...(r?.rolledBackAt ? { rolledBackAt: r.rolledBackAt } : {}),
});

/** Where a record says the balancers send clients (undefined: blue everywhere). */
export const recordedTraffic = (r: MigrationRecord | null): Traffic | undefined =>
  r?.clients === 'green' ? 'green' : r?.greenDatacenters && r.greenDatacenters.length > 0 ? { green: r.greenDatacenters } : undefined;

/**
 * Records where the balancers send clients now, after clients moved to `side` (all of them, or one datacenter's):
 * green everywhere after the switch; blue after `--rollback`. Unless every balancer is on green the switch is not a
 * phase done, so a later `--until switch` switches (the rest) again.
 */
export function recordClients(dir: string, record: MigrationRecord, traffic: Traffic | undefined, side: 'green' | 'blue', now = new Date()): MigrationRecord {
  const at = now.toISOString();
  const { clients: _, greenDatacenters: __, ...rest } = record;
  const next: MigrationRecord = {
    ...rest,
    ...(traffic === 'green' ? { clients: 'green' } : traffic ? { greenDatacenters: traffic.green } : {}),
    phasesDone: traffic === 'green' ? record.phasesDone : record.phasesDone.filter((p) => p !== 'switch'),
    ...(side === 'green' ? { switchedAt: at } : { rolledBackAt: at }),
    updatedAt: at,
  };
  saveRecord(dir, next);
  return next;
}

/** The newest migration the controller records beside the inventory that `wanted` accepts; null: none. */
export function newestRecord(inventoryFile: string, wanted: (r: MigrationRecord) => boolean): MigrationRecord | null {
  const root = join(dirname(inventoryFile), '.apim-deploy', 'migrations');
  if (!existsSync(root)) return null;
  for (const id of readdirSync(root).sort().reverse()) {
    const r = readRecord(join(root, id));
    if (r && wanted(r)) return r;
  }
  return null;
}

/** The newest migration the controller records beside the inventory that was not abandoned; null: none. */
export const openMigrationRecord = (inventoryFile: string): MigrationRecord | null => newestRecord(inventoryFile, (r) => !r.abandonedAt);

/**
 * The newest migration from `version` (the inventory's, blue's) that is not finished, and not abandoned unless
 * `abandoned`; null: none. A finished migration's record (an earlier one, whose migrated inventory was moved over this
 * file) says nothing about the next one.
 */
export const migrationFrom = (inventoryFile: string, version: string, o: { readonly abandoned?: boolean } = {}): MigrationRecord | null =>
  newestRecord(inventoryFile, (r) => r.from === version && !r.finishedAt && (o.abandoned === true || !r.abandonedAt));

/** Marks the record finished (`migrate --finish`), naming the inventory that now describes the deployment. */
export function markFinished(dir: string, record: MigrationRecord, migratedInventory: string, now = new Date()): void {
  saveRecord(dir, { ...record, updatedAt: now.toISOString(), finishedAt: now.toISOString(), finishedInventory: migratedInventory });
}
