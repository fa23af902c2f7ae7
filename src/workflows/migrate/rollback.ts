import { isWso2Role } from '../../catalog/variants.js';
import { UsageError } from '../../errors.js';
import { defaultProber } from '../../health/index.js';
import { auditedRun, lockOptions } from '../run/locked-run.js';
import { openRun } from '../run/open-run.js';
import { hostStatus } from '../status/host-status.js';
import type { AbortOptions } from './abort.js';
import { recordedTraffic } from './record.js';
import { recordedMigration } from './recorded.js';
import { switchClients } from './switch.js';

const PROBE_TIMEOUT_MS = 10_000;

export interface RollbackResult {
  readonly exitCode: number;
  readonly id: string;
}

/**
 * `migrate --to V --rollback`: after the switch, every balancer's clients back to blue with the switch's own drain,
 * recorded (the switch leaves the phases done, so `--until switch` switches again). Refused before the switch, and
 * when a blue node is not healthy at the version it ran (clients stay on green, the reasons printed). Writes made on
 * green since the switch stay in green's databases: blue never sees them.
 */
export async function rollbackMigration(opts: AbortOptions): Promise<RollbackResult> {
  const notice = opts.onNotice ?? (() => {});
  const ctx = await openRun(opts, { artifacts: 'none', connect: 'every', unreachable: 'stop' });
  try {
    const command = `migrate --to ${opts.to} --rollback`;
    return await auditedRun(ctx, { command, notice, ...lockOptions(opts) }, command, async () => {
      const from = ctx.inventory.apim.version;
      const { id, dir, record, database: db } = await recordedMigration(ctx, opts, 'roll back');
      if (!recordedTraffic(record)) {
        throw new UsageError(`migration ${id} has not switched clients to green: there is nothing to roll back, blue takes all traffic`,
          `to give the migration up before the switch: apim-deploy migrate -i ${opts.inventory} --to ${opts.to} --abort`);
      }
      const problems: string[] = [];
      for (const host of new Set(ctx.rendered.filter((n) => isWso2Role(ctx.catalog[n.role])).map((n) => n.host))) {
        const nodes = ctx.rendered.filter((n) => n.host === host && isWso2Role(ctx.catalog[n.role]));
        for (const s of await hostStatus(from, nodes, ctx.transports.get(host)!, { prober: defaultProber, timeoutMs: PROBE_TIMEOUT_MS })) {
          const failed = s.health.checks.filter((c) => !c.healthy).map((c) => c.detail);
          if (!s.health.healthy || s.version !== from) problems.push(`${s.host}/${s.role}: ${[s.version !== from ? `runs ${s.version ?? 'nothing'}, not ${from}` : '', ...failed].filter(Boolean).join('; ') || 'not healthy'}`);
        }
      }
      if (problems.length > 0) {
        notice(`blue is not healthy: clients stay on green; nothing was changed:\n  ${problems.join('\n  ')}`);
        return { exitCode: 1, id };
      }
      notice(`rollback of ${id}: blue healthy at ${from}; moving clients back`);
      const outcome = await switchClients({ ctx, opts, id, dir, databaseHost: db.host, side: 'blue', notice });
      if (!outcome.ok) notice(`stopped: ${outcome.message ?? 'failed'}`);
      else notice(`migration ${id}: clients on blue; green keeps running with its databases (writes made there since the switch stay there)`);
      return { exitCode: outcome.exitCode, id };
    });
  } finally {
    await ctx.close();
  }
}
