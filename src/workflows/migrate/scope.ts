import { dirname, join } from 'node:path';
import { resolveMigration } from '../../catalog/migration.js';
import { isWso2Role } from '../../catalog/variants.js';
import { UsageError } from '../../errors.js';
import { clientsOnGreen } from '../../model/inventory.js';
import type { MigrationPlan, WriteWindow } from '../../model/migration.js';
import type { FileContent } from '../../model/plan.js';
import { migrationPlan } from '../../planner/migration/plan.js';
import { migrationId, versionSteps } from '../../planner/migration/versions.js';
import type { RunContext } from '../run/open-run.js';
import { doneMarkers, unfinishedMigration } from './facts.js';
import { readMigrationScripts } from './scripts.js';
import { windowRefusal } from '../../planner/migration/write-window.js';
import { readWindowFacts } from './write-window.js';

export interface MigrateScopeOptions {
  readonly inventoryArg: string;
  readonly to: string;
  readonly window: WriteWindow;
  readonly signal?: AbortSignal;
  readonly now?: Date;
}

export interface MigrateScope {
  readonly plan: MigrationPlan;
  /** Markers already on the database host: steps a run skips. */
  readonly done: ReadonlySet<string>;
  /** True when the database host records this migration already (a re-run continues it). */
  readonly continuing: boolean;
  /** The migration scripts by sha256, for their upload steps; and the pack they come from. */
  readonly contents: ReadonlyMap<string, FileContent>;
  readonly pack: string;
}

/** Where the controller keeps a migration's backups and record: beside the inventory, as the audit log. */
export const controllerMigrationDir = (inventoryFile: string, id: string): string => join(dirname(inventoryFile), '.apim-deploy', 'migrations', id);

/**
 * The migration plan from the inventory (blue as it is), `--to`, the write-window choice and the database host's
 * record of an unfinished migration. Refuses, before any change, what it cannot migrate.
 */
export async function migrateScope(ctx: RunContext, o: MigrateScopeOptions): Promise<MigrateScope> {
  const inv = ctx.inventory;
  const from = inv.apim.version;
  const steps = versionSteps(from, o.to);
  if (typeof steps === 'string') throw new UsageError(`cannot migrate ${from} → ${o.to}: ${steps}`);
  const green = inv.green ?? [];
  if (green.length === 0) {
    throw new UsageError(`${o.inventoryArg} names no green hosts: migrate runs ${o.to} beside blue on the hosts the inventory names for it`,
      'add green: { <blue host>: { address: <its partner> } } for every WSO2 host (docs/migrate.md), then apim-deploy validate');
  }
  const db = migrationDatabase(ctx.rendered, o.inventoryArg);
  const commands = resolveMigration(ctx.catalog.database, db.context);
  if (!commands) throw new UsageError(`migrate has no database commands for database.type ${db.context.vars.database.type} yet (roles/database/role.yaml migration:)`);
  const t = ctx.transports.get(db.host);
  if (!t) throw new UsageError(`${db.host}: not connected (${ctx.unreachable.get(db.host)?.message ?? 'unreachable'}): migrate starts on the database host`);
  const window = await readWindowFacts(ctx, o.signal);
  const refused = o.window === 'read-only' ? windowRefusal(window.balancers) : null;
  if (refused) {
    throw new UsageError(`--read-only-window: ${refused}. Nothing was changed.`,
      'keep publishers and admins out by other means and pass --accept-write-loss (docs/migrate.md, "Design-time writes during the window")');
  }
  const found = await unfinishedMigration(t, from, o.to, o.signal);
  const id = found ?? migrationId(from, o.to, o.now ?? new Date());
  const server = db.context.databaseServer!;
  const done = found ? await doneMarkers(t, found, o.signal) : new Set<string>();
  const read = await readMigrationScripts(inv, o.to, steps, commands, { apim_db: server.apimDb, shared_db: server.sharedDb });
  const plan = migrationPlan({
    id, inventory: inv.file, from, to: o.to, steps, window: o.window,
    database: { host: db.host, commands, names: [server.apimDb, server.sharedDb] },
    scripts: read.scripts, green,
    blueNodes: inv.nodes.filter((n) => isWso2Role(ctx.catalog[n.role])),
    balancers: inv.roles['load-balancer'] ?? [],
    datacenters: inv.datacenters.map((d) => ({ name: d.name, balancers: d.roles['load-balancer'] ?? [] })),
    // After the switch the window is over: a re-run must not close it again on the balancers now in front of green.
    windowBalancers: window.balancers.map((b) => (clientsOnGreen(inv.traffic, inv.hosts.find((h) => h.name === b.host)?.datacenter ?? null) ? { ...b, rule: null } : b)),
    controllerDir: controllerMigrationDir(inv.file, id), done,
  });
  return { plan, done, continuing: found !== null, contents: new Map([...read.contents, ...window.contents]), pack: read.pack };
}

/**
 * The one database host a migration copies and migrates. More than one (a multi-datacenter estate with a replica per
 * datacenter) is refused: each replica would need its green copy and the replication between them re-pointed, which
 * is not built, and migrating one replica alone would leave the other datacenters' green nodes on databases that do
 * not exist.
 */
export function migrationDatabase<R extends { readonly role: string; readonly host: string }>(rendered: readonly R[], inventoryArg: string): R {
  const databases = rendered.filter((r) => r.role === 'database');
  if (databases.length > 1) {
    throw new UsageError(`${inventoryArg} has ${databases.length} database hosts (${databases.map((d) => d.host).join(', ')}): migrate copies and migrates the databases of one host; replicated datacenter databases are not migrated yet. Nothing was changed.`,
      'docs/migrate.md, "Multi-datacenter estates"');
  }
  const db = databases[0];
  if (!db) throw new UsageError(`${inventoryArg} has no database role: migrate backs up and copies the databases on their host`, 'see docs/migrate.md');
  return db;
}
