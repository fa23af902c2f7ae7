import type { CommandModule } from 'yargs';
import { lazyHandler } from '../lazy-handler.js';
import { inventoryOptions, jsonOption, limitOption, type InventoryArgs } from '../options.js';

export interface StatusArgs extends InventoryArgs {
  json: boolean;
  limit?: string;
}

/** `apim-deploy status -i INV`: release, PID, health and config drift per node; read-only. */
const command: CommandModule<object, StatusArgs> = {
  command: 'status',
  describe: 'Show per host and role: the release running, its PID, health (checked once) and config drift; changes nothing',
  builder: (y) =>
    limitOption(jsonOption(inventoryOptions(y), 'print the report as one JSON document'), 'only these hosts (names, role names or globs, comma-separated)')
      .example('$0 status -i inventories/eu-prod.yaml', 'exit 0 when every node is healthy and in sync, else 1')
      .example('$0 status -i inv.yaml --limit gateway', 'the gateways only')
      .example('$0 status -i inv.yaml --json | jq .nodes', 'for scripts') as never,
  handler: lazyHandler(() => import('../run/status.js')),
};

export default command;
