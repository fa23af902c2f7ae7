import { checkAccounts } from './accounts.js';
import type { RuleContext } from './context.js';
import { checkCredentials } from './credentials.js';
import { checkDatabase } from './database.js';
import { checkDropIns } from './drop-ins.js';
import { checkDeploymentToml } from './deployment-toml.js';
import { checkJvmOptionsOwned } from './jvm-options.js';
import { checkNetwork } from './network.js';
import { checkPasswords } from './passwords.js';
import { checkIdenticalRegions } from './regions.js';
import { checkRoleCounts } from './role-counts.js';
import { checkSharing } from './sharing.js';

/** The pattern rules, each adding its issues; order only matters for the order of messages. */
export function runPatternRules(ctx: RuleContext): void {
  checkRoleCounts(ctx);
  checkSharing(ctx);
  checkNetwork(ctx);
  checkDatabase(ctx);
  checkCredentials(ctx);
  checkAccounts(ctx);
  checkPasswords(ctx);
  checkIdenticalRegions(ctx);
  checkDropIns(ctx);
  checkDeploymentToml(ctx);
  checkJvmOptionsOwned(ctx);
}
