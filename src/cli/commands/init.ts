import type { CommandModule } from 'yargs';
import { lazyHandler } from '../lazy-handler.js';
import { wholeNumber } from '../options.js';

export interface InitArgs {
  pattern: string;
  datacenters?: number;
  out: string;
}

/** `apim-deploy init --pattern P`: a commented inventory and its .env.example, placeholders to fill in. */
const command: CommandModule<object, InitArgs> = {
  command: 'init',
  describe: 'Write a commented inventory and .env.example for a pattern, with placeholders that validate explains until filled in',
  builder: (y) =>
    y
      .option('pattern', { type: 'string', demandOption: true, requiresArg: true, describe: 'the deployment pattern: 0-5, multi-dc-active-active, multi-dc-active-passive' })
      .option('datacenters', { type: 'number', requiresArg: true, coerce: wholeNumber('datacenters', 1, 16), describe: "multi-dc patterns: how many datacenters (default: the pattern's minimum, 2)" })
      .option('out', { type: 'string', default: 'inventory.yaml', requiresArg: true, describe: 'the inventory file to write; FILE.env.example goes beside it. Never overwrites' })
      .example('$0 init --pattern 3 --out inventories/eu-prod.yaml', 'then fill in every <CHANGE-ME> and: apim-deploy validate -i inventories/eu-prod.yaml')
      .example('$0 init --pattern multi-dc-active-active --datacenters 3 --out global.yaml', 'three datacenters') as never,
  handler: lazyHandler(() => import('../run/init.js')),
};

export default command;
