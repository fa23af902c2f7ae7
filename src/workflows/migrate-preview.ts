import { openRun } from './run/open-run.js';
import { migrateScope, type MigrateScope } from './migrate/scope.js';
import type { MigrateOptions } from './migrate.js';

/**
 * `migrate --dry-run`: the migration plan from today's facts (the inventory, the database host's record of an
 * unfinished migration), touching nothing and taking no lock.
 */
export async function previewMigrate(opts: MigrateOptions): Promise<MigrateScope> {
  const ctx = await openRun(opts, { artifacts: 'none', connect: 'every', unreachable: 'report' });
  try {
    return await migrateScope(ctx, { inventoryArg: opts.inventory, to: opts.to, window: opts.window, ...(opts.signal ? { signal: opts.signal } : {}) });
  } finally {
    await ctx.close();
  }
}
