import type { CommandModule } from 'yargs';
import { lazyHandler } from '../lazy-handler.js';
import { rollingOptions, type RollingArgs } from '../rolling-options.js';

/** `apim-deploy rollback -i INV`: every node back to its previous release, rolling, gateways first. */
const command: CommandModule<object, RollingArgs> = {
  command: 'rollback',
  describe: 'Take every node back to its previous release, rolling in reverse dependency order (gateways first)',
  builder: (y) =>
    rollingOptions(y, 'every batch')
      .example('$0 rollback -i inventories/eu-prod.yaml --dry-run', 'which release each node would go back to, batch by batch')
      .example('$0 rollback -i inv.yaml --limit gw-*', 'the gateways only')
      .example('$0 rollback -i inv.yaml --batch 2 --report rollback.html', 'two nodes of a role at a time, and a timeline') as never,
  handler: lazyHandler(() => import('../run/rollback.js')),
};

export default command;
