import { ConfigError } from '../errors.js';
import { ROLE_NAMES, type RoleName } from '../model/inventory.js';

/**
 * Start layers: a role's layer is one more than the deepest role it depends on (among the roles present).
 * Roles in one layer start in parallel. A dependency cycle is a ConfigError naming the roles in it.
 */
export function roleLayers(present: readonly RoleName[], dependsOn: (role: RoleName) => readonly RoleName[]): RoleName[][] {
  const roles = ROLE_NAMES.filter((r) => present.includes(r));
  const depth = new Map<RoleName, number>();
  const visiting: RoleName[] = [];
  const visit = (role: RoleName): number => {
    const known = depth.get(role);
    if (known !== undefined) return known;
    if (visiting.includes(role)) {
      const cycle = [...visiting.slice(visiting.indexOf(role)), role].join(' → ');
      throw new ConfigError(`roles depend on each other in a cycle: ${cycle}`, [], 'fix dependsOn in roles/<role>/role.yaml');
    }
    visiting.push(role);
    const deps = dependsOn(role).filter((d) => roles.includes(d));
    const d = deps.length === 0 ? 0 : 1 + Math.max(...deps.map(visit));
    visiting.pop();
    depth.set(role, d);
    return d;
  };
  roles.forEach(visit);
  const layers: RoleName[][] = [];
  for (const role of roles) (layers[depth.get(role)!] ??= []).push(role);
  return layers.filter((l) => l.length > 0);
}
