/**
 * Where the balancers send clients during a migration is the controller's record (migration.json, read into
 * `Inventory.traffic` when a run opens); the database host keeps its own mark of the switch (`switch.done`, written
 * with the last datacenter to green and removed by `--rollback`). A run from a controller whose record disagrees with
 * the database host (another controller ran the switch or the rollback, or a CI runner with a fresh workspace) would
 * render the wrong side into every balancer and move clients with no warning. provision, plan and upgrade refuse it.
 */
import { UsageError } from '../../errors.js';
import { migrationDir } from '../../planner/migration/database-phases.js';
import type { Transport } from '../../transport/transport.js';
import type { RunContext } from '../run/open-run.js';
import type { MigrationPlan } from '../../model/migration.js';
import { STATE_DIR } from '../../topology/layout.js';
import { FINISHED_MARKER, list, SWITCH_MARKER } from './facts.js';
import { migrationFrom, readRecord, recordClients } from './record.js';
import { controllerMigrationDir } from './scope.js';

/** The newest migration from `from` (to any version) the database host holds unfinished, and whether it switched. */
async function hostMigration(t: Transport, from: string, signal?: AbortSignal): Promise<{ readonly id: string; readonly switched: boolean } | null> {
  const ids = (await list(t, `${STATE_DIR}/migrations`, signal)).filter((d) => d.startsWith(`${from}-to-`)).sort().reverse();
  for (const id of ids) {
    const entries = await list(t, migrationDir(id), signal);
    if (!entries.includes(FINISHED_MARKER)) return { id, switched: entries.includes(SWITCH_MARKER) };
  }
  return null;
}

/** `4.5.0-to-4.6.0-20261202T084700Z` → `4.6.0`. */
const targetOf = (id: string): string => /-to-(.+)-\d{8}T\d{6}Z$/.exec(id)?.[1] ?? '<version>';

/**
 * Throws a UsageError when the database host and this controller disagree about the switch. Nothing to compare when
 * the inventory names no green partners, or when the controller records a switch stopped between datacenters (the
 * database host marks only the whole switch). A run whose `--limit` leaves the database host out connects to it for
 * this alone; one that cannot reach it is not checked (its own hosts are what it changes).
 */
export async function refuseSwitchRecordMismatch(ctx: Pick<RunContext, 'inventory' | 'transports' | 'open'>, inventoryArg: string, command: string,
  signal?: AbortSignal): Promise<void> {
  const inv = ctx.inventory;
  if (!inv.green || inv.green.length === 0 || (inv.traffic !== undefined && inv.traffic !== 'green')) return;
  const db = inv.roles.database?.[0];
  if (!db) return;
  const own = ctx.transports.get(db);
  const extra = own ? null : await ctx.open(inv.hosts.filter((h) => h.name === db));
  const t = own ?? extra?.transports.get(db);
  let onHost: Awaited<ReturnType<typeof hostMigration>>;
  try {
    if (!t) return;
    onHost = await hostMigration(t, inv.apim.version, signal);
  } finally {
    await extra?.close();
  }
  const record = migrationFrom(inv.file, inv.apim.version);
  const here = inv.traffic === 'green';
  if (onHost?.switched && !here) {
    const dir = controllerMigrationDir(inv.file, onHost.id);
    throw new UsageError(
      `${command} refused: ${db} records that migration ${onHost.id} switched clients to green (${migrationDir(onHost.id)}/${SWITCH_MARKER}), ` +
      `but this controller's record ${record?.id === onHost.id ? 'says clients are on blue' : `is missing (${dir}/migration.json)`}: ` +
      'a run from here would put blue back into every balancer and move clients off green. Nothing was changed on any host.',
      `copy migration.json of ${onHost.id} from the controller that ran the switch into ${dir}/, or take it from ${db} here: ` +
      `apim-deploy migrate -i ${inventoryArg} --to ${targetOf(onHost.id)} --accept-write-loss --until switch`,
    );
  }
  if (here && !onHost?.switched) {
    throw new UsageError(
      `${command} refused: this controller's record of migration ${record?.id ?? '?'} says clients are on green, but ${db} ` +
      `${onHost ? `has no ${SWITCH_MARKER} for ${onHost.id} (rolled back from another controller?)` : `holds no unfinished migration from ${inv.apim.version} (finished or abandoned from another controller?)`}: ` +
      'a run from here would move clients to green. Nothing was changed on any host.',
      `see where the balancers send clients (apim-deploy status -i ${inventoryArg}); if on blue, record it here: apim-deploy migrate -i ${inventoryArg} --to ${record ? record.to : '<version>'} --rollback`,
    );
  }
}

/**
 * `migrate` from a controller without the switch's record (switch-record gate above): the database host's
 * `switch.done` for this migration says every balancer was switched, so this controller records clients on green
 * before any phase runs, and its own runs (provision-green's balancer plan among them) render green as the balancers
 * hold it, instead of moving clients back to blue and over again.
 */
export async function adoptRecordedSwitch(ctx: Pick<RunContext, 'transports'>, plan: Pick<MigrationPlan, 'id' | 'databaseHost'>, dir: string,
  notice: (text: string) => void, signal?: AbortSignal): Promise<void> {
  const record = readRecord(dir);
  const t = ctx.transports.get(plan.databaseHost);
  if (!record || record.clients === 'green' || !t) return;
  if (!(await list(t, migrationDir(plan.id), signal)).includes(SWITCH_MARKER)) return;
  recordClients(dir, record, 'green', 'green');
  notice(`${plan.databaseHost} records the switch of ${plan.id} (${SWITCH_MARKER}): recorded here, clients on green`);
}
