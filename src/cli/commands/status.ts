import type { CommandModule } from 'yargs';
import { lazyHandler } from '../lazy-handler.js';
import { inventoryOptions, jsonOption, limitOption, secondsOption, type InventoryArgs } from '../options.js';

export interface StatusArgs extends InventoryArgs {
  json: boolean;
  limit?: string;
  'probe-timeout': number;
}

/** `apim-deploy status -i INV`: release, PID, health and config drift per node; read-only. */
const command: CommandModule<object, StatusArgs> = {
  command: 'status',
  describe: 'Show per host and role: the release running, its PID, health (checked once) and config drift; changes nothing',
  builder: (y) =>
    secondsOption(limitOption(jsonOption(inventoryOptions(y), 'print the report as one JSON document'), 'only these hosts (names, role names or globs, comma-separated)'),
      'probe-timeout', 'seconds each check and state command may take before the node counts as failing it (raise it for hosts under heavy load)', 1, 5)
      .example('$0 status -i inventories/eu-prod.yaml', 'exit 0 when every node is healthy and in sync, else 1')
      .example('$0 status -i inv.yaml --limit gateway', 'the gateways only')
      .example('$0 status -i inv.yaml --probe-timeout 20', 'hosts so loaded that a check takes over 5 s to answer')
      .example('$0 status -i inv.yaml --json | jq .nodes', 'for scripts') as never,
  handler: lazyHandler(() => import('../run/status.js')),
};

export default command;
