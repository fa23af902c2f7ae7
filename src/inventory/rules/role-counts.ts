import type { LayoutRules, RoleName } from '../../model/inventory.js';
import type { LayoutDraft } from '../layout.js';
import { patternLabel, type RuleContext } from './context.js';

/** Allowed and required roles, hosts per role, load balancer need, datacenter count. */
export function checkRoleCounts(ctx: RuleContext): void {
  const { pattern, layouts, src } = ctx;
  const dcs = pattern.datacenters;
  if (dcs && layouts.length > 0 && layouts.length < dcs.min) {
    src.add(['datacenters'], `${patternLabel(pattern)} needs at least ${dcs.min} datacenters, got ${layouts.length}: add another datacenter or pick a single-datacenter pattern`, 'key');
  }
  layouts.forEach((layout, i) => {
    const rules = pattern.layout ?? (i === 0 ? dcs!.central : dcs!.regional);
    checkLayout(ctx, layout, rules, i === 0 ? undefined : layouts[0]?.datacenter);
  });
}

function checkLayout(ctx: RuleContext, layout: LayoutDraft, rules: LayoutRules, central: string | undefined): void {
  const { src, pattern } = ctx;
  const where = layout.datacenter ? ` in datacenter '${layout.datacenter}'` : '';
  for (const [role, hosts] of Object.entries(layout.roles) as [RoleName, string[]][]) {
    const count = rules.roles[role];
    if (!count) {
      const why = central !== undefined && pattern.datacenters?.central.roles[role]
        ? `runs only in the central datacenter ('${central}', the first one listed): move these hosts there`
        : `is not part of ${patternLabel(pattern)}; allowed roles: ${Object.keys(rules.roles).join(', ')}`;
      src.add([...layout.at, role], `role ${role}${where} ${why}`, 'key');
      continue;
    }
    if (count.max !== undefined && hosts.length > count.max) {
      const why = role === 'control-plane' || role === 'traffic-manager' ? ' (HA is a pair: 3 or more is not a recommended pattern)' : '';
      src.add([...layout.at, role], `${patternLabel(pattern)} allows at most ${count.max} ${role} host(s)${where}, got ${hosts.length}${why}: remove ${hosts.length - count.max}`);
    }
    if (hosts.length < count.min) {
      src.add([...layout.at, role], `${patternLabel(pattern)} needs at least ${count.min} ${role} host(s)${where}, got ${hosts.length}: add more`);
    }
  }
  for (const [role, count] of Object.entries(rules.roles) as [RoleName, { min: number }][]) {
    if (count.min > 0 && layout.roles[role] === undefined) {
      src.add(layout.at, `${patternLabel(pattern)} requires role ${role}${where}: add ${role}: [<host>, ...]`, 'key');
    }
  }
  checkLoadBalancer(ctx, layout, rules, where);
}

/** The public_hostname key that names an outside balancer in front of a role's nodes. */
const PUBLIC_NAME: Partial<Record<RoleName, string>> = {
  'control-plane': 'control_plane', 'all-in-one': 'control_plane', gateway: 'gateway', 'key-manager': 'key_manager',
};

/** Several nodes that clients reach need one name in front of them, unless public_hostname names an outside one. */
function checkLoadBalancer(ctx: RuleContext, layout: LayoutDraft, rules: LayoutRules, where: string): void {
  if ((layout.roles['load-balancer'] ?? []).length > 0) return;
  const written = (layout.vars['public_hostname'] ?? ctx.vars['public_hostname']) as Record<string, unknown> | undefined;
  for (const role of rules.loadBalancerWhen) {
    const n = layout.roles[role]?.length ?? 0;
    const key = PUBLIC_NAME[role];
    // Before key_manager existed, any public_hostname counted as an outside balancer for the portals and gateways.
    const named = written !== undefined && (role === 'key-manager' ? written['key_manager'] !== undefined : true);
    if (n > 1 && !named) {
      ctx.src.add(
        [...layout.at, role],
        `${n} ${role} nodes${where} need a load balancer in front: add a load-balancer role, or set vars.public_hostname.${key ?? 'control_plane'} to your own load balancer's name`,
        'key',
      );
      return;
    }
  }
}
