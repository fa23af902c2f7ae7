import { UsageError } from '../../errors.js';
import { previewStep } from '../../workflows/plan.js';
import { migrate, type MigrateOptions } from '../../workflows/migrate.js';
import { previewMigrate } from '../../workflows/migrate-preview.js';
import { formatMigrationPlan } from '../../ui/migration-printer.js';
import type { MigrateArgs } from '../commands/migrate.js';
import { inventoryRunOptions } from '../options.js';
import { runRollout } from '../rollout.js';

const options = (argv: MigrateArgs, signal: AbortSignal): MigrateOptions => ({
  ...inventoryRunOptions(argv), signal, acceptNewHostKeys: argv['accept-new-host-keys'], lockWaitMs: argv['lock-wait'] * 1000,
  to: argv.to, window: argv['read-only-window'] ? 'read-only' : 'accept-loss', ...(argv.until ? { until: argv.until } : {}),
});

/** `apim-deploy migrate`: the dry run prints the plan; a run executes its database phases up to --until. */
export default async function migrateCommand(argv: MigrateArgs): Promise<void> {
  if (argv.finish) {
    const { finishCommand } = await import('./migrate-finish.js');
    return finishCommand(argv, options);
  }
  if (argv.abort) {
    if (argv['dry-run']) throw new UsageError('--abort has no dry run: it lifts the read-only window and marks the migration abandoned, nothing else', 'see what runs: apim-deploy status');
    const { abortMigration } = await import('../../workflows/migrate/abort.js');
    await runRollout(argv, (report, say, signal) => abortMigration({ ...options(argv, signal), onEvent: (e) => report.renderer.onEvent(e), onNotice: say }),
      (r) => ({ json: { migration: r.id, abandoned: r.exitCode === 0, kept: r.kept }, lines: r.kept.map((k) => `kept: ${k}`) }));
    return;
  }
  if (argv.rollback) {
    if (argv['dry-run']) throw new UsageError('--rollback has no dry run: it moves clients back to blue the way the switch moved them (see migrate --dry-run)');
    const { rollbackMigration } = await import('../../workflows/migrate/rollback.js');
    await runRollout(argv, (report, say, signal) => rollbackMigration({ ...options(argv, signal), onEvent: (e) => report.renderer.onEvent(e), onNotice: say }),
      (r) => ({ json: { migration: r.id, rolledBack: r.exitCode === 0 }, lines: [] }));
    return;
  }
  if (!argv['read-only-window'] && !argv['accept-write-loss']) {
    throw new UsageError('say how design-time writes on blue during the migration are handled: --read-only-window or --accept-write-loss',
      'see "Design-time writes during the window" in docs/migrate.md');
  }
  if (argv['dry-run']) {
    const { plan, done, continuing } = await previewMigrate(options(argv, new AbortController().signal));
    process.stdout.write(`migrate preview: ${plan.from} → ${plan.to}${continuing ? ` (continues ${plan.id})` : ''}; nothing was changed, no lock taken\n`);
    for (const line of formatMigrationPlan(plan, previewStep, done)) process.stdout.write(`${line}\n`);
    return;
  }
  await runRollout(argv, (report, say, signal) =>
    migrate({ ...options(argv, signal), onEvent: (e) => report.renderer.onEvent(e), onNotice: say }),
  (r) => ({ json: { migration: r.id, phasesDone: r.phasesDone }, lines: [`phases done: ${r.phasesDone.join(', ') || 'none'}`] }));
}
