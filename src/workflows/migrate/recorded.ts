import { UsageError } from '../../errors.js';
import type { RenderedNode } from '../../render/render-inventory.js';
import type { RunContext } from '../run/open-run.js';
import { unfinishedMigration } from './facts.js';
import { readRecord, type MigrationRecord } from './record.js';
import { controllerMigrationDir, migrationDatabase } from './scope.js';

/** The unfinished migration a command acts on: its id on the database host and the controller's record of it. */
export interface RecordedMigration {
  readonly id: string;
  /** The controller's directory of the migration (backup copies, migration.json). */
  readonly dir: string;
  /** null when this controller never ran it (another controller did, or its directory was lost). */
  readonly record: MigrationRecord | null;
  readonly database: RenderedNode;
}

/**
 * The unfinished migration from the inventory's version to `to` that the database host records, for `--abort` and
 * `--rollback`; refused (exit 2, before any change) when the database host is not connected or records none.
 */
export async function recordedMigration(ctx: RunContext, opts: { readonly inventory: string; readonly to: string; readonly signal?: AbortSignal }, verb: string): Promise<RecordedMigration> {
  const from = ctx.inventory.apim.version;
  const database = migrationDatabase(ctx.rendered, opts.inventory);
  const t = ctx.transports.get(database.host);
  if (!t) throw new UsageError(`${database.host}: not connected: the database host records the migration to ${verb}`);
  const id = await unfinishedMigration(t, from, opts.to, opts.signal);
  if (!id) throw new UsageError(`no unfinished migration ${from} → ${opts.to} on ${database.host}: nothing to ${verb}`, `see what runs: apim-deploy status -i ${opts.inventory}`);
  const dir = controllerMigrationDir(ctx.inventory.file, id);
  return { id, dir, record: readRecord(dir), database };
}
