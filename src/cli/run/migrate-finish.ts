import type { MigrateOptions } from '../../workflows/migrate.js';
import { finishMigration } from '../../workflows/migrate/finish.js';
import type { MigrateArgs } from '../commands/migrate.js';
import { runRollout } from '../rollout.js';

/** `apim-deploy migrate --to V --finish [--dry-run]`: the dry run prints what finish would do; a run does it. */
export async function finishCommand(argv: MigrateArgs, options: (argv: MigrateArgs, signal: AbortSignal) => MigrateOptions): Promise<void> {
  if (argv['dry-run']) {
    const r = await finishMigration({ ...options(argv, new AbortController().signal), dryRun: true });
    for (const line of r.lines) process.stdout.write(`${line}\n`);
    return;
  }
  await runRollout(argv, (report, say, signal) => finishMigration({ ...options(argv, signal), onEvent: (e) => report.renderer.onEvent(e), onNotice: say }),
    (r) => ({ json: { migration: r.id, finished: r.exitCode === 0, lines: r.lines }, lines: [...r.lines] }));
}
