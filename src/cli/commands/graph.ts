import type { CommandModule } from 'yargs';
import { lazyHandler } from '../lazy-handler.js';
import { inventoryOptions, outFileOption, type InventoryArgs } from '../options.js';

const FORMATS = ['mermaid', 'svg', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export interface GraphArgs extends InventoryArgs {
  format?: Format;
  out?: string;
}

/** `apim-deploy graph -i INV`: the topology as Mermaid text, or a self-contained SVG or HTML picture. */
const command: CommandModule<object, GraphArgs> = {
  command: 'graph',
  describe: 'Draw the topology: hosts by datacenter, their roles, and the wiring (event hub, throttling, key manager, database, balancer upstreams) with ports',
  builder: (y) =>
    outFileOption(inventoryOptions(y), 'write it to this file (default: standard output)')
      .option('format', { choices: FORMATS, describe: 'mermaid text, or a picture: svg, or html (the svg, the wiring table and the mermaid text); default: from --out\'s extension, else mermaid' })
      .example('$0 graph -i inventories/eu-prod.yaml', 'Mermaid text (paste into a Markdown file on GitHub or GitLab)')
      .example('$0 graph -i inv.yaml --out topology.html', 'open it in a browser: no script, no network')
      .example('$0 graph -i inv.yaml --format svg > topology.svg', 'an image for a wiki page') as never,
  handler: lazyHandler(() => import('../run/graph.js')),
};

export default command;
