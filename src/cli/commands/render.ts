import type { CommandModule } from 'yargs';
import { lazyHandler } from '../lazy-handler.js';
import { inventoryOptions, jsonOption, type InventoryArgs } from '../options.js';

export interface RenderArgs extends InventoryArgs {
  'out-dir': string;
  json: boolean;
}

/** `apim-deploy render -i INV --out-dir DIR`: every host's files under DIR/<host>/<remote path>, secrets in place. */
const render: CommandModule<object, RenderArgs> = {
  command: 'render',
  describe: 'Render every host\'s config files into a local directory (secrets included: keep it private)',
  builder: (y) =>
    jsonOption(inventoryOptions(y), 'print what was written as one JSON document')
      .option('out-dir', { type: 'string', demandOption: true, requiresArg: true, describe: 'directory to write DIR/<host>/<remote path> into (created, mode 0700)' })
      .example('$0 render -i inventories/eu-prod.yaml --out-dir /tmp/eu-prod', 'then: diff -r, or read /tmp/eu-prod/gw-1/opt/wso2/...')
      .example('$0 render -i inv.yaml --out-dir out --json', 'the hosts, roles and file counts as JSON') as never,
  handler: lazyHandler(() => import('../run/render.js')),
};

export default render;
