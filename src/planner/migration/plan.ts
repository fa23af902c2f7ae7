import type { ResolvedMigration } from '../../catalog/migration.js';
import type { GreenHost, HostName, NodeRef } from '../../model/inventory.js';
import type { MigrationPlan, WriteWindow } from '../../model/migration.js';
import { databasePhases, type MigrationScript } from './database-phases.js';
import { laterPhases } from './outline.js';
import { applyWindowSteps, windowOutline, type WindowBalancer } from './write-window.js';
import { greenDatabaseName, type VersionStep } from './versions.js';

export interface MigrationInputs {
  readonly id: string;
  readonly inventory: string;
  readonly from: string;
  readonly to: string;
  readonly steps: readonly VersionStep[];
  readonly window: WriteWindow;
  readonly database: { readonly host: HostName; readonly commands: ResolvedMigration; readonly names: readonly string[] };
  readonly scripts: readonly MigrationScript[];
  readonly green: readonly GreenHost[];
  readonly blueNodes: readonly NodeRef[];
  readonly balancers: readonly HostName[];
  /** The balancers as the write window sees them (their rule, what they hold now). */
  readonly windowBalancers: readonly WindowBalancer[];
  /** Controller directory the backups are copied to. */
  readonly controllerDir: string;
  /** Multi-datacenter estates: each datacenter's balancers, in file order (empty: one datacenter); the switch moves them in turn. */
  readonly datacenters: readonly { readonly name: string; readonly balancers: readonly HostName[] }[];
  /** Markers of this migration already on the database host (none for a new one). */
  readonly done: ReadonlySet<string>;
}

/** `migrate --to V` as data, from today's facts: what `--dry-run` prints and a run executes phase by phase. Pure. */
export function migrationPlan(i: MigrationInputs): MigrationPlan {
  const databases = i.database.names.map((blue) => ({ blue, green: greenDatabaseName(blue, i.to) }));
  const [backup, ...rest] = databasePhases({
    id: i.id, from: i.from, host: i.database.host, commands: i.database.commands, databases, scripts: i.scripts, controllerDir: i.controllerDir, done: i.done,
  });
  // A read-only window closes blue's design-time doors before the backup is taken: the backup waits for the reloads.
  const window = i.window === 'read-only' ? applyWindowSteps(i.windowBalancers) : { steps: [], waitFor: [] };
  const backupSteps = [...window.steps, ...backup!.steps.map((s) => ({ ...s, after: [...s.after, ...window.waitFor] }))];
  return {
    id: i.id, inventory: i.inventory, from: i.from, to: i.to, steps: i.steps, window: i.window,
    databaseHost: i.database.host, databases, green: i.green,
    phases: [
      { ...backup!, steps: backupSteps, outline: [...windowOutline(i.window, i.windowBalancers), ...backup!.outline] },
      ...rest,
      ...laterPhases({ to: i.to, window: i.window, green: i.green, blueNodes: i.blueNodes, balancers: i.balancers, databases,
        balancerKinds: new Map(i.windowBalancers.map((b) => [b.host, b.kind])), databaseHost: i.database.host, datacenters: i.datacenters }),
    ],
  };
}
