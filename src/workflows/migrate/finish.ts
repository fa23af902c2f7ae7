/**
 * `migrate --to V --finish`, after the switch: blue's WSO2 nodes stopped and their installations removed, blue's
 * database grants revoked (pg_hba rendered from green's inventory without `retainedDatabaseClients`), the migration
 * marked finished on the database host and in the controller's record, and the migrated inventory written beside
 * the one as written. Kept: the backups (database host and controller) and blue's databases (docs/migrate.md says
 * why). Refused, before anything changes, unless the record says switched and every balancer sends clients to green.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { isWso2Role } from '../../catalog/variants.js';
import type { Step } from '../../model/plan.js';
import { migratedInventoryFile, migratedInventoryText } from '../../inventory/migrated-inventory.js';
import { migrationDir } from '../../planner/migration/database-phases.js';
import { blueRemovalSteps, markFinishedStep } from '../../planner/migration/finish-steps.js';
import { planMeta, planOfWaves } from '../../planner/plan-of.js';
import { previewStep } from '../../steps/registry.js';
import { planRunner, runExitCode } from '../run/execute.js';
import { auditedRun, lockOptions } from '../run/locked-run.js';
import { openRun, type RunContext } from '../run/open-run.js';
import { openPlannedRun } from '../run/planned-run.js';
import { balancerTraffic } from '../status/migration-status.js';
import { openMigrationRecord } from './record.js';
import type { AbortOptions } from './abort.js';
import { finishRefusal } from './finish-gate.js';
import { greenRunOptions } from './green-run.js';
import { markFinished, type MigrationRecord } from './record.js';
import { controllerMigrationDir } from './scope.js';

export type FinishOptions = AbortOptions & { readonly dryRun?: boolean };

export interface FinishResult {
  readonly exitCode: number;
  readonly id: string;
  /** What was done (or, dry, would be) and what is kept, in words. */
  readonly lines: readonly string[];
}

const TRAFFIC_TIMEOUT_MS = 10_000;

/** The record, once finish may run: the switch recorded and every balancer on green (else a UsageError, exit 2). */
async function switchedRecord(ctx: RunContext, opts: FinishOptions): Promise<MigrationRecord> {
  const record = openMigrationRecord(ctx.inventory.file);
  const traffic = record ? await balancerTraffic(ctx, record, TRAFFIC_TIMEOUT_MS) : [];
  const refusal = finishRefusal(record, traffic, { from: ctx.inventory.apim.version, to: opts.to, inventoryArg: opts.inventory });
  if (refusal) throw refusal;
  return record!;
}

function removalSteps(ctx: RunContext, record: MigrationRecord): Step[] {
  return record.green.flatMap((g) => blueRemovalSteps(g.blue, ctx.rendered.filter((n) => n.host === g.blue && isWso2Role(ctx.catalog[n.role])), migrationDir(record.id)));
}

function keptLines(record: MigrationRecord, migrated: string, inventoryFile: string): string[] {
  return [
    `kept: backups in ${migrationDir(record.id)} on ${record.databaseHost} and ${controllerMigrationDir(inventoryFile, record.id)}`,
    `kept: blue's databases on ${record.databaseHost} (${record.databases.map((d) => d.blue).join(', ')}); drop them by hand once no rollback to blue's data is wanted`,
    `the deployment is now described by ${migrated}: review it, then move it over the inventory (its .env applies unchanged)`,
  ];
}

export async function finishMigration(opts: FinishOptions): Promise<FinishResult> {
  const notice = opts.onNotice ?? (() => {});
  const ctx = await openRun(opts, { artifacts: 'none', connect: 'every', unreachable: opts.dryRun ? 'report' : 'stop' });
  try {
    const migrated = migratedInventoryFile(ctx.inventory.file);
    if (opts.dryRun) {
      const record = await switchedRecord(ctx, opts);
      const grants = await openPlannedRun({ ...greenRunOptions(opts, record, 'finish'), dryRun: true });
      const steps = [...removalSteps(ctx, record), ...grants.plan.waves.flatMap((w) => w.steps), markFinishedStep(record.databaseHost, migrationDir(record.id), [])];
      await grants.ctx.close();
      const lines = steps.flatMap((s) => { const p = previewStep(s); return [`${s.host}: ${p.description}`, `    why: ${s.reason}`, ...p.lines.map((l) => `    $ ${l}`)]; });
      return { exitCode: 0, id: record.id, lines: [`finish ${record.id} would (nothing was changed, no lock taken):`, ...lines, `write ${migrated}`, ...keptLines(record, migrated, ctx.inventory.file)] };
    }
    const command = `migrate --to ${opts.to} --finish`;
    return await auditedRun(ctx, { command, notice, ...lockOptions(opts) }, command, async () => {
      const record = await switchedRecord(ctx, opts);
      const meta = planMeta(ctx.inventory.file, record.from);
      const removed = await planRunner(ctx, opts)(planOfWaves(meta, [{ label: 'migrate: finish: stop and remove blue', steps: removalSteps(ctx, record) }]), true);
      if (!removed.ok) return { exitCode: removed.aborted ? 130 : runExitCode(removed), id: record.id, lines: ['blue was not (entirely) removed; green serves; re-run --finish to continue'] };
      notice(`finish: blue stopped and removed on ${record.green.map((g) => g.blue).join(', ')}`);
      const grants = await openPlannedRun(greenRunOptions(opts, record, 'finish'));
      try {
        const steps = [...grants.plan.waves.flatMap((w) => w.steps), markFinishedStep(record.databaseHost, migrationDir(record.id), [])];
        const run = await planRunner(grants.ctx, opts)(planOfWaves(planMeta(ctx.inventory.file, record.to), [{ label: 'migrate: finish: revoke blue\'s grants', steps }]), true);
        if (!run.ok) return { exitCode: run.aborted ? 130 : runExitCode(run), id: record.id, lines: ['blue\'s database grants were not revoked; re-run --finish to continue'] };
      } finally {
        await grants.ctx.close();
      }
      const text = migratedInventoryText({
        text: readFileSync(ctx.inventory.file, 'utf8'), id: record.id, to: record.to, partners: record.green, databases: record.databases,
        defaults: { apim_db: 'apim_db', shared_db: 'shared_db' },
      });
      writeFileSync(migrated, text, { mode: 0o644 });
      markFinished(controllerMigrationDir(ctx.inventory.file, record.id), record, migrated);
      notice(`migration ${record.id} finished: green is the deployment`);
      return { exitCode: 0, id: record.id, lines: [`blue removed from ${record.green.map((g) => g.blue).join(', ')}; its database grants revoked`, ...keptLines(record, migrated, ctx.inventory.file)] };
    });
  } finally {
    await ctx.close();
  }
}
