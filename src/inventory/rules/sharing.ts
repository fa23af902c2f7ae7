import { isWso2Role } from '../../catalog/variants.js';
import type { RoleName } from '../../model/inventory.js';
import { patternLabel, type RuleContext } from './context.js';

/**
 * Roles sharing a host: forbidden pairs, and roles whose ports (role.yaml `ports`, shifted by a WSO2 role's
 * offset) would collide: WSO2 servers with each other, and with the load balancer and the database.
 */
export function checkSharing(ctx: RuleContext): void {
  for (const [name, roles] of ctx.hostRoles) {
    const host = ctx.hosts.get(name);
    if (!host) continue;
    let forbidden = false;
    for (const [a, b] of ctx.pattern.neverShare) {
      if (roles.includes(a) && roles.includes(b)) {
        forbidden = true;
        ctx.src.add(['hosts', name], `${a} and ${b} must not share host '${name}' in ${patternLabel(ctx.pattern)}: put them on different hosts`, 'key');
      }
    }
    for (const role of Object.keys(host.portOffsets) as RoleName[]) {
      const at = ['hosts', name, 'port_offsets', role];
      if (!roles.includes(role)) ctx.src.add(at, `host '${name}' does not play ${role}: remove this offset or add the host to the role`, 'key');
      else if (!isWso2Role(ctx.catalog[role])) ctx.src.add(at, `${role} is not a WSO2 server and takes no port offset: remove it`, 'key');
    }
    if (!forbidden) checkPorts(ctx, name, roles);
  }
}

/** Roles with fixed ports (services) take theirs first; each WSO2 role must then fit around them at its offset. */
function checkPorts(ctx: RuleContext, name: string, roles: readonly RoleName[]): void {
  const host = ctx.hosts.get(name)!;
  const wso2 = (r: RoleName) => isWso2Role(ctx.catalog[r]);
  const portsOf = (r: RoleName, offset: number): number[] => Object.values(ctx.catalog[r].ports).map((p) => p + offset);
  const offsetOf = (r: RoleName): number => (wso2(r) ? (host.portOffsets[r] ?? 0) : 0);
  const taken = new Map<number, RoleName>();
  for (const role of [...roles.filter((r) => !wso2(r)), ...roles.filter(wso2)]) {
    const clash = portsOf(role, offsetOf(role)).find((p) => taken.has(p));
    if (clash !== undefined) {
      const other = taken.get(clash)!;
      const written = host.portOffsets[role] !== undefined;
      const free = freeOffset(ctx.catalog[role].ports, new Set(taken.keys()));
      const example = `port_offsets: { ${role}: ${free} }`;
      const fix = !wso2(role) ? 'put them on different hosts'
        : wso2(other) ? `give them distinct port offsets, e.g. ${example}`
        : `${other} takes no offset: give ${role} one, e.g. ${example}, or put them on different hosts`;
      ctx.src.add(written ? ['hosts', name, 'port_offsets', role] : ['hosts', name], `${other} and ${role} on host '${name}' both need port ${clash}: ${fix}`, written ? 'value' : 'key');
      continue;
    }
    for (const p of portsOf(role, offsetOf(role))) taken.set(p, role);
  }
}

/** The smallest offset at which all of a role's ports are free (suggested in the message). */
function freeOffset(ports: Readonly<Record<string, number>>, taken: ReadonlySet<number>): number {
  for (let o = 1; ; o++) if (Object.values(ports).every((p) => !taken.has(p + o))) return o;
}
