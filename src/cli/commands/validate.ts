import type { CommandModule } from 'yargs';
import { lazyHandler } from '../lazy-handler.js';
import { inventoryOptions, jsonOption, type InventoryArgs } from '../options.js';

export interface ValidateArgs extends InventoryArgs {
  json: boolean;
  explain?: string;
}

/** `apim-deploy validate -i INV`: every problem at once (exit 3), or a one-line summary (exit 0). Touches no host. */
const validate: CommandModule<object, ValidateArgs> = {
  command: 'validate',
  describe: 'Check an inventory against its pattern: every problem at once, nothing touches a host',
  builder: (y) =>
    jsonOption(inventoryOptions(y), 'print the result (summary or every problem with its position) as one JSON document')
      .option('explain', { type: 'string', requiresArg: true, describe: 'HOST: how it is logged in to (user, port, keys, jump hosts, sudo) and where each value came from' })
      .example('$0 validate -i inventories/eu-prod.yaml', 'every problem as file:line:col: path: message, exit 3; else a summary')
      .example('$0 validate -i inv.yaml --env-file /secure/eu-prod.env', 'secrets from another dotenv file')
      .example('$0 validate -i inv.yaml --explain gw-1', 'the user, port, keys, jump hosts and sudo gw-1 gets, and where each came from')
      .example('$0 validate -i inv.yaml --json', 'for editors and CI: {"valid": false, "issues": [...]}') as never,
  handler: lazyHandler(() => import('../run/validate.js')),
};

export default validate;
