import type { Transport } from '../../transport/transport.js';
import { STATE_DIR } from '../../topology/layout.js';
import { migrationDir } from '../../planner/migration/database-phases.js';
import { idPrefix } from '../../planner/migration/versions.js';

/** Marks a migration the operator finished (`migrate --finish`) or abandoned: a later run starts a new one. */
export const FINISHED_MARKER = 'finished';

/** The database host's mark of a whole switch to green, beside the phases' markers (removed by `--rollback`). */
export const SWITCH_MARKER = 'switch.done';

/** Entries of a directory on the host; none when it is absent. */
export async function list(t: Transport, dir: string, signal?: AbortSignal): Promise<string[]> {
  const r = await t.exec({ argv: ['ls', '-1', '--', dir] }, signal);
  return r.exitCode === 0 ? r.stdout.split('\n').filter((l) => l.length > 0) : [];
}

/**
 * The unfinished migration from → to the database host records (its directory under the state dir, without the
 * finished marker), newest first; null: none, a run starts a new one.
 */
export async function unfinishedMigration(t: Transport, from: string, to: string, signal?: AbortSignal): Promise<string | null> {
  const ids = (await list(t, `${STATE_DIR}/migrations`, signal)).filter((d) => d.startsWith(idPrefix(from, to))).sort().reverse();
  for (const id of ids) {
    if (!(await list(t, migrationDir(id), signal)).includes(FINISHED_MARKER)) return id;
  }
  return null;
}

/** The markers of a migration already on the database host: the steps a run would skip. */
export async function doneMarkers(t: Transport, id: string, signal?: AbortSignal): Promise<ReadonlySet<string>> {
  const dir = migrationDir(id);
  return new Set((await list(t, dir, signal)).filter((f) => f.endsWith('.done')).map((f) => `${dir}/${f}`));
}
