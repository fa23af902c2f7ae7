import { defaultRoleCatalog } from '../../catalog/roles.js';
import { checkArchivesAt } from '../../inventory/archives.js';
import { greenInventory } from '../../inventory/green-inventory.js';
import type { MigrationPlan } from '../../model/migration.js';
import type { RunOptions } from '../run/open-run.js';

/** The hosts a green run touches or reads. */
export type GreenScope = 'provision' | 'verify';

/**
 * Run options for green (an inventory of its own, src/inventory/green-inventory.ts), limited to what the phase
 * needs: provision plans the green partners and the database server (pg_hba grants green its databases beside
 * blue's); verify reads the green partners (the balancers it reads through blue's run, which renders what they hold). Blue's WSO2 hosts are not in green's inventory at all.
 */
export function greenRunOptions<O extends RunOptions>(opts: O, plan: MigrationPlan, scope: GreenScope): O {
  const hosts = scope === 'provision' ? [...plan.green.map((g) => g.name), plan.databaseHost] : plan.green.map((g) => g.name);
  return {
    ...opts,
    limit: hosts.join(','),
    derive: async (blue) => {
      const catalog = defaultRoleCatalog();
      const green = greenInventory({ blue, catalog, to: plan.to, databases: new Map(plan.databases.map((d) => [d.blue, d.green])) });
      await checkArchivesAt(green, catalog);
      return green;
    },
  };
}
