import { WSO2_ROLES, type RoleName } from '../../model/inventory.js';
import { patternLabel, type RuleContext } from './context.js';

/** Ports every WSO2 server opens (reference §2); `[server] offset` shifts them all. */
export const WSO2_BASE_PORTS = [9443, 9763, 8280, 8243, 9099, 8099, 5672, 9611, 9711] as const;

export function portsWithOffset(offset: number): number[] {
  return WSO2_BASE_PORTS.map((p) => p + offset);
}

/** Roles sharing a host: forbidden pairs, and WSO2 roles whose port sets would collide. */
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
      else if (!WSO2_ROLES.includes(role)) ctx.src.add(at, `${role} is not a WSO2 server and takes no port offset: remove it`, 'key');
    }
    if (!forbidden) checkOffsets(ctx, name, roles.filter((r) => WSO2_ROLES.includes(r)));
  }
}

function checkOffsets(ctx: RuleContext, name: string, wso2: readonly RoleName[]): void {
  const host = ctx.hosts.get(name)!;
  const offsetOf = (r: RoleName): number => host.portOffsets[r] ?? 0;
  const taken = new Map<number, RoleName>();
  for (const role of wso2) {
    const clash = portsWithOffset(offsetOf(role)).find((p) => taken.has(p));
    if (clash !== undefined) {
      const other = taken.get(clash)!;
      const free = freeOffset(new Set(taken.keys()));
      const at = host.portOffsets[role] !== undefined ? ['hosts', name, 'port_offsets', role] : ['hosts', name];
      ctx.src.add(
        at,
        `${other} and ${role} on host '${name}' both need port ${clash}: give them distinct port offsets, e.g. port_offsets: { ${role}: ${free} }`,
        host.portOffsets[role] !== undefined ? 'value' : 'key',
      );
      continue;
    }
    for (const p of portsWithOffset(offsetOf(role))) taken.set(p, role);
  }
}

/** The smallest offset whose ports are all free (suggested in the message). */
function freeOffset(taken: ReadonlySet<number>): number {
  for (let o = 1; ; o++) if (portsWithOffset(o).every((p) => !taken.has(p))) return o;
}
