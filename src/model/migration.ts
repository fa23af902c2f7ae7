import type { GreenHost, HostName } from './inventory.js';
import type { Step } from './plan.js';


/**
 * Design-time writes on blue after the backup never reach green. The operator says which way, explicitly:
 * `read-only` closes blue's design-time doors for the window; `accept-loss` keeps them open and loses those writes.
 */
export type WriteWindow = 'read-only' | 'accept-loss';

/** The phases of a migration, in order (docs/migrate.md). */
export const MIGRATION_PHASES = ['backup', 'green-databases', 'schema', 'provision-green', 'verify-green', 'switch', 'keep-blue'] as const;
export type MigrationPhaseName = (typeof MIGRATION_PHASES)[number];

export interface MigrationPhase {
  readonly name: MigrationPhaseName;
  readonly title: string;
  /** Steps the executor runs, each guarded by a marker on its host so a re-run continues where one stopped. */
  readonly steps: readonly Step[];
  /** Phases planned at their own moment (they need the phase before done): what they will do, from today's facts. */
  readonly outline: readonly string[];
}

/** `migrate --to V` as data: what `--dry-run` prints and the run executes. */
export interface MigrationPlan {
  /** `<from>-to-<to>-<UTC time>`: names the backups and the state, fixed at the first run and reused by re-runs. */
  readonly id: string;
  readonly inventory: string;
  readonly from: string;
  readonly to: string;
  /** Each version step the schema scripts take, in order (4.4.0 → 4.5.0, 4.5.0 → 4.6.0). */
  readonly steps: readonly { readonly from: string; readonly to: string }[];
  readonly window: WriteWindow;
  readonly databaseHost: HostName;
  /** Blue database name → its green copy. */
  readonly databases: readonly { readonly blue: string; readonly green: string }[];
  readonly green: readonly GreenHost[];
  readonly phases: readonly MigrationPhase[];
}
