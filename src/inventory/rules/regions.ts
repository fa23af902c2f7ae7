import type { RuleContext } from './context.js';

/**
 * Active-active regions are identical (docs-apim configuring-multi-dc-deployment-pattern-1: "All the regions are
 * identical"): an API published in one region deploys on the gateways of every region only when they all carry the
 * same environment name, because the replicated database and the cross-region events name it.
 */
export function checkIdenticalRegions(ctx: RuleContext): void {
  if (!ctx.pattern.datacenters?.identicalRegions) return;
  const byRegion = new Map<string, { name: string; at: readonly (string | number)[] | undefined }>();
  for (const n of ctx.nodes) {
    if (n.role !== 'gateway' || n.layout.datacenter === undefined || byRegion.has(n.layout.datacenter)) continue;
    byRegion.set(n.layout.datacenter, { name: n.vars.values['gateway_environment'] as string, at: n.vars.origin.get('gateway_environment') });
  }
  const first = [...byRegion.entries()][0];
  if (!first) return;
  const [firstDc, expected] = first;
  const reported = new Set<string>();
  for (const [dc, { name, at }] of byRegion) {
    if (name === expected.name) continue;
    const where = at ?? expected.at ?? [];
    const key = where.join('\0');
    if (reported.has(key)) continue;
    reported.add(key);
    ctx.src.add(where,
      `${ctx.pattern.id}: datacenter '${dc}' names gateway environment '${name}' and '${firstDc}' names '${expected.name}'; ` +
      'active-active regions are identical (WSO2 multi-DC pattern 1): give every datacenter the same gateway_environment');
  }
}
