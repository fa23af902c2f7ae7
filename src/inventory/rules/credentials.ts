import { isWso2Role } from '../../catalog/variants.js';
import type { RuleContext } from './context.js';

/** Every WSO2 node needs an admin password, from whichever layer (host, datacenter, role or global vars). */
export function checkCredentials(ctx: RuleContext): void {
  const missing = ctx.nodes.filter((n) => isWso2Role(ctx.catalog[n.role]) && n.vars.values['admin_password'] === null).map((n) => `${n.host} (${n.role})`);
  // A broken admin_password reference was reported where it is written: do not call it missing too.
  if (missing.length > 0 && !ctx.src.issues.some((i) => i.path.endsWith('admin_password'))) {
    ctx.src.add(
      ctx.src.doc.has('vars') ? ['vars'] : [],
      `admin_password is not set for ${missing.join(', ')}: add admin_password: \${ADMIN_PASSWORD} under vars and ADMIN_PASSWORD=... to the dotenv file`,
      'key',
    );
  }
}
