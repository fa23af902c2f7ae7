import type { Inventory, RoleName, VarValue, Vars } from '../model/inventory.js';

/**
 * The variables one node sees: host > role > datacenter > global (global already holds the defaults).
 * A variable is replaced whole: a host's `database` does not merge with the global one.
 */
export function effectiveVars(inv: Inventory, hostName: string, role: RoleName): Vars {
  const host = inv.hosts.find((h) => h.name === hostName);
  if (!host) throw new Error(`effectiveVars: unknown host ${hostName}`);
  const dc = inv.datacenters.find((d) => d.name === host.datacenter);
  const out: Record<string, VarValue> = {};
  for (const layer of [inv.vars, dc?.vars, inv.roleVars[role], host.vars]) Object.assign(out, layer ?? {});
  return out;
}
