import { UsageError } from '../../errors.js';
import { planMeta, singleWavePlan } from '../../planner/plan-of.js';
import { migrationDir } from '../../planner/migration/database-phases.js';
import { greenDatabaseName } from '../../planner/migration/versions.js';
import { abortSteps } from '../../planner/migration/write-window.js';
import { planRunner, runExitCode } from '../run/execute.js';
import { auditedRun, lockOptions } from '../run/locked-run.js';
import { openRun } from '../run/open-run.js';
import type { MigrateOptions } from '../migrate.js';
import { markAbandoned, recordedTraffic } from './record.js';
import { recordedMigration } from './recorded.js';
import { readWindowFacts } from './write-window.js';

/** What `migrate` takes, without the write-window choice and the last phase (an abort needs neither). */
export type AbortOptions = Omit<MigrateOptions, 'window' | 'until'>;

export interface AbortResult {
  readonly exitCode: number;
  readonly id: string;
  /** What stays, in words: green's databases, the backups. */
  readonly kept: readonly string[];
}

/**
 * `migrate --to V --abort`: before the switch, give up the unfinished migration. The read-only rule comes off every
 * balancer (blue takes design-time writes again) and the migration is marked abandoned on the database host and in
 * the controller's record, so the next `migrate` starts afresh. Nothing is deleted: green's databases, the backups
 * on the database host and on the controller, and green hosts stay as they are, for the operator to inspect or drop.
 */
export async function abortMigration(opts: AbortOptions): Promise<AbortResult> {
  const notice = opts.onNotice ?? (() => {});
  const ctx = await openRun(opts, { artifacts: 'none', connect: 'every', unreachable: 'stop' });
  try {
    const command = `migrate --to ${opts.to} --abort`;
    return await auditedRun(ctx, { command, notice, ...lockOptions(opts) }, command, async () => {
      const from = ctx.inventory.apim.version;
      const { id, dir, record, database: db } = await recordedMigration(ctx, opts, 'abort');
      if (recordedTraffic(record)) {
        throw new UsageError(`migration ${id} has switched balancers to green: aborting now would leave green's writes behind`, `switch back with: apim-deploy migrate -i ${opts.inventory} --to ${opts.to} --rollback`);
      }
      const window = await readWindowFacts(ctx, opts.signal);
      const steps = abortSteps(migrationDir(id), db.host, window.balancers);
      const plan = singleWavePlan(planMeta(ctx.inventory.file, from), 'migrate: abort', steps);
      const run = await planRunner({ ...ctx, contents: new Map([...ctx.contents, ...window.contents]) }, opts)(plan, true);
      if (!run.ok) return { exitCode: run.aborted ? 130 : runExitCode(run), id, kept: [] };
      if (record) markAbandoned(dir, record);
      const server = db.context.databaseServer;
      const kept = [
        `green databases on ${db.host} where created: ${server ? [server.apimDb, server.sharedDb].map((d) => greenDatabaseName(d, opts.to)).join(', ') : '(none named)'} (drop them by hand when no longer needed)`,
        `backups: ${migrationDir(id)} on ${db.host}, and ${dir}`,
        record?.phasesDone.includes('provision-green')
          ? 'green hosts: untouched, and their database grants while the inventory names them (remove green: and provision to revoke)'
          : 'green hosts: untouched',
      ];
      notice(`migration ${id} abandoned: blue takes design-time writes; kept: ${kept.join('; ')}`);
      return { exitCode: 0, id, kept };
    });
  } finally {
    await ctx.close();
  }
}
