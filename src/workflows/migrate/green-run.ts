import { defaultRoleCatalog } from '../../catalog/roles.js';
import { checkArchivesAt } from '../../inventory/archives.js';
import { greenInventory } from '../../inventory/green-inventory.js';
import type { MigrationPlan } from '../../model/migration.js';
import type { RunOptions } from '../run/open-run.js';

/**
 * The hosts a green run touches or reads; `status` reads green without the packs on the controller; `finish` plans
 * the database server alone, without blue's retained grants (pg_hba revokes them).
 */
export type GreenScope = 'provision' | 'verify' | 'status' | 'finish';

/** What a green run needs of the migration: its plan, or the controller's record of it (status). */
export type GreenSource = Pick<MigrationPlan, 'to' | 'databases' | 'databaseHost'> & { readonly green: readonly { readonly name: string }[] };

/**
 * Run options for green (an inventory of its own, src/inventory/green-inventory.ts), limited to what the phase
 * needs: provision plans the green partners and the database server's database role (pg_hba grants green its
 * databases beside blue's); verify reads the green partners (the balancers it reads through blue's run, which renders what they hold). Blue's WSO2 hosts are not in green's inventory at all.
 */
export function greenRunOptions<O extends RunOptions>(opts: O, plan: GreenSource, scope: GreenScope): O {
  const hosts = scope === 'provision' ? [...plan.green.map((g) => g.name), plan.databaseHost] : scope === 'finish' ? [plan.databaseHost] : plan.green.map((g) => g.name);
  return {
    ...opts,
    limit: hosts.join(','),
    // The database host may also balance: green's run plans its database alone (green's view of the balancer would
    // send blue's clients to green before the switch).
    onlyRoles: new Map([[plan.databaseHost, ['database']]]),
    derive: async (blue) => {
      const catalog = defaultRoleCatalog();
      const green = greenInventory({ blue, catalog, to: plan.to, databases: new Map(plan.databases.map((d) => [d.blue, d.green])) });
      if (scope !== 'status') await checkArchivesAt(green, catalog);
      return scope === 'finish' ? { ...green, retainedDatabaseClients: [] } : green;
    },
  };
}
