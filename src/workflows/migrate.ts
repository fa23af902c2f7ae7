import { UsageError } from '../errors.js';
import type { RunEvent } from '../model/events.js';
import { MIGRATION_PHASES, type MigrationPhaseName, type WriteWindow } from '../model/migration.js';
import { planMeta, singleWavePlan } from '../planner/plan-of.js';
import { controllerMigrationDir, migrateScope } from './migrate/scope.js';
import { adoptRecordedSwitch } from './migrate/switch-record-gate.js';
import { writeRecord } from './migrate/record.js';
import { provisionGreen } from './migrate/provision-green.js';
import { verifyGreen } from './migrate/verify-green.js';
import { switchClients } from './migrate/switch.js';
import { planRunner, runExitCode } from './run/execute.js';
import { auditedRun, lockOptions } from './run/locked-run.js';
import { openRun, type RunOptions } from './run/open-run.js';

/** The phases a run executes in this version: the database ones, then green's. The rest are planned and printed only. */
export const RUNNABLE_PHASES = ['backup', 'green-databases', 'schema', 'provision-green', 'verify-green', 'switch'] as const satisfies readonly MigrationPhaseName[];
export type RunnablePhase = (typeof RUNNABLE_PHASES)[number];

export interface MigrateOptions extends RunOptions {
  readonly to: string;
  readonly window: WriteWindow;
  /** The last phase to run (`--until`). */
  readonly until?: RunnablePhase;
  readonly lockWaitMs?: number;
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: RunEvent) => void;
  readonly onNotice?: (text: string) => void;
}

export interface MigrateResult {
  readonly exitCode: number;
  readonly id: string;
  readonly phasesDone: readonly MigrationPhaseName[];
}

/**
 * `apim-deploy migrate --to V --until PHASE`: the migration's phases in order, up to PHASE, under the deploy lock.
 * Each step is guarded by a marker on the database host: Ctrl-C leaves blue serving on its own databases, and a
 * re-run continues the same migration (same id, same backups).
 */
export async function migrate(opts: MigrateOptions): Promise<MigrateResult> {
  if (!opts.until) {
    throw new UsageError(`migrate runs ${RUNNABLE_PHASES.join(', ')} in this version; keep-blue is planned by --dry-run only`,
      `pass --until switch (or an earlier phase), or see the whole plan: apim-deploy migrate -i ${opts.inventory} --to ${opts.to} --dry-run`);
  }
  const notice = opts.onNotice ?? (() => {});
  const ctx = await openRun(opts, { artifacts: 'none', connect: 'every', unreachable: 'stop' });
  try {
    const command = `migrate --to ${opts.to}`;
    return await auditedRun(ctx, { command, notice, ...lockOptions(opts) }, `${command} --until ${opts.until}`, async () => {
      const { plan, continuing, contents } = await migrateScope(ctx, { inventoryArg: opts.inventory, to: opts.to, window: opts.window, ...(opts.signal ? { signal: opts.signal } : {}) });
      notice(`${continuing ? 'continuing' : 'starting'} migration ${plan.id}`);
      const dir = controllerMigrationDir(ctx.inventory.file, plan.id);
      const last = MIGRATION_PHASES.indexOf(opts.until!);
      const done: MigrationPhaseName[] = [];
      writeRecord(dir, plan, done);
      await adoptRecordedSwitch(ctx, plan, dir, notice, opts.signal);
      const run = planRunner({ ...ctx, contents: new Map([...ctx.contents, ...contents]) }, opts);
      for (const phase of plan.phases.filter((p) => MIGRATION_PHASES.indexOf(p.name) <= last)) {
        notice(`== ${phase.name}: ${phase.title}`);
        const green = { opts, plan, balancers: ctx.inventory.roles['load-balancer'] ?? [], notice };
        const own = phase.name === 'provision-green' ? provisionGreen(green) : phase.name === 'verify-green' ? verifyGreen(green, ctx)
          : phase.name === 'switch' ? switchClients({ ctx, opts, id: plan.id, dir, databaseHost: plan.databaseHost, side: 'green', notice }) : null;
        // An error a Ctrl-C caused (a read cut short) is the interruption below, not a failure of the phase.
        const outcome = own && await own.catch((err: unknown) => { if (opts.signal?.aborted) return null; throw err; });
        if (outcome && !outcome.ok) {
          notice(`stopped in ${phase.name}: ${outcome.message ?? 'failed'}; blue serves all traffic; re-run to continue ${plan.id}`);
          return { exitCode: outcome.exitCode, id: plan.id, phasesDone: done };
        }
        // A phase without steps of its own (verify-green reads only) is not recorded done, and nothing after it
        // starts, when Ctrl-C came while it ran: the executor would stop the next phase's steps, not these checks.
        if (opts.signal?.aborted) {
          notice(`stopped in ${phase.name} (interrupted): blue serves all traffic; re-run to continue ${plan.id}`);
          return { exitCode: 130, id: plan.id, phasesDone: done };
        }
        const p = singleWavePlan(planMeta(plan.inventory, plan.to), `migrate: ${phase.name}`, phase.steps);
        const result = p.waves.length > 0 ? await run(p, true) : null;
        if (result && !result.ok) {
          notice(`stopped in ${phase.name}: blue serves on its own databases; re-run to continue ${plan.id}`);
          return { exitCode: result.aborted ? 130 : runExitCode(result), id: plan.id, phasesDone: done };
        }
        done.push(phase.name);
        writeRecord(dir, plan, done);
      }
      notice(`migration ${plan.id}: ${done.join(', ')} done; backups in ${dir}`);
      return { exitCode: 0, id: plan.id, phasesDone: done };
    });
  } finally {
    await ctx.close();
  }
}
