import type { Inventory } from '../model/inventory.js';

/** "valid: pattern 3, 8 hosts, 5 roles, 8 nodes, APIM 4.6.0 (eu-prod)". Never prints a variable value. */
export function summarizeInventory(inv: Inventory): string {
  const pattern = /^\d$/.test(inv.pattern) ? `pattern ${inv.pattern}` : inv.pattern;
  const roles = Object.keys(inv.roles).length;
  const nodes = inv.hosts.reduce((n, h) => n + h.roles.length, 0);
  const dcs = inv.datacenters.length > 0 ? `, ${inv.datacenters.length} datacenters` : '';
  return `valid: ${pattern}, ${inv.hosts.length} hosts, ${roles} roles, ${nodes} nodes${dcs}, APIM ${inv.apim.version} (${inv.name})`;
}
