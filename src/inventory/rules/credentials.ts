import { WSO2_ROLES, type RoleName } from '../../model/inventory.js';
import type { RuleContext } from './context.js';

/** Every WSO2 node needs an admin password (host > role > datacenter > global). */
export function checkCredentials(ctx: RuleContext): void {
  const missing: string[] = [];
  for (const layout of ctx.layouts) {
    for (const [role, hosts] of Object.entries(layout.roles) as [RoleName, string[]][]) {
      if (!WSO2_ROLES.includes(role)) continue;
      for (const h of hosts) {
        const set = [ctx.hosts.get(h)?.vars, ctx.roleVars[role], layout.vars, ctx.vars].some((v) => v?.['admin_password'] !== undefined);
        if (!set) missing.push(`${h} (${role})`);
      }
    }
  }
  // A broken admin_password reference was reported where it is written: do not call it missing too.
  if (missing.length > 0 && !ctx.src.issues.some((i) => i.path.endsWith('admin_password'))) {
    ctx.src.add(
      ctx.src.doc.has('vars') ? ['vars'] : [],
      `admin_password is not set for ${missing.join(', ')}: add admin_password: \${ADMIN_PASSWORD} under vars and ADMIN_PASSWORD=... to the dotenv file`,
      'key',
    );
  }
}
