import type { CommandModule } from 'yargs';
import type { RoleName } from '../../model/inventory.js';
import { lazyHandler } from '../lazy-handler.js';
import { roleList } from '../options.js';
import { rollingOptions, type RollingArgs } from '../rolling-options.js';

export interface UpgradeArgs extends RollingArgs {
  to?: string;
  roles?: RoleName[];
  'peer-copy'?: boolean;
}

/** `apim-deploy upgrade -i INV [--to V]`: a rolling upgrade, node by node, no request dropped. */
const command: CommandModule<object, UpgradeArgs> = {
  command: 'upgrade',
  describe: 'Roll every node to the inventory\'s apim.version (or --to): stage, then drain, switch, gate and rejoin node by node',
  builder: (y) =>
    rollingOptions(y, 'the staging and every batch')
      .option('to', { type: 'string', requiresArg: true, describe: 'target version for this run (default: apim.version of the inventory)' })
      .option('roles', { type: 'string', requiresArg: true, coerce: roleList, describe: 'only these roles, comma-separated (e.g. gateway,traffic-manager)' })
      .option('peer-copy', { type: 'boolean', default: true, describe: 'hosts of one datacenter staging the same pack or JDK copy it from each other, or from a host holding it, so it crosses the controller\'s link once at most (--no-peer-copy: all from the controller)' })
      .example('$0 upgrade -i inventories/eu-prod.yaml --dry-run', 'what would be staged, drained and switched, with diffs')
      .example('$0 upgrade -i inv.yaml --batch 25% --report upgrade.html', 'a quarter of the gateways at a time, and a timeline')
      .example('$0 upgrade -i inv.yaml --to 4.6.0 --roles gateway', 'the gateways only, to 4.6.0') as never,
  handler: lazyHandler(() => import('../run/upgrade.js')),
};

export default command;
