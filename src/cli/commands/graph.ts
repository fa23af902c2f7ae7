import type { CommandModule } from 'yargs';
import { graphHtml } from '../../ui/graph/html.js';
import { graphMermaid } from '../../ui/graph/mermaid.js';
import { graphSvg } from '../../ui/graph/svg.js';
import { graphInventory } from '../../workflows/graph.js';
import { inventoryOptions, inventoryRunOptions, outFileOption, type InventoryArgs } from '../options.js';
import { checkOutFile, writeOutFile } from '../output.js';

const FORMATS = ['mermaid', 'svg', 'html'] as const;
type Format = (typeof FORMATS)[number];

interface GraphArgs extends InventoryArgs {
  format?: Format;
  out?: string;
}

/** The format `--out`'s extension names, when --format is not given. */
const formatOf = (out: string | undefined): Format => (out?.endsWith('.svg') ? 'svg' : out?.endsWith('.html') || out?.endsWith('.htm') ? 'html' : 'mermaid');

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
  handler: async (argv) => {
    if (argv.out) checkOutFile(argv.out);
    const graph = await graphInventory(inventoryRunOptions(argv));
    const format = argv.format ?? formatOf(argv.out);
    const output = format === 'svg' ? `${graphSvg(graph)}\n` : format === 'html' ? graphHtml(graph) : graphMermaid(graph);
    if (!argv.out) return void process.stdout.write(output);
    writeOutFile(argv.out, output);
    process.stderr.write(`${format} of ${graph.hosts.length} hosts and ${graph.edges.length} wires written to ${argv.out}\n`);
  },
};

export default command;
