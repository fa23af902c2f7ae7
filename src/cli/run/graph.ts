import { graphHtml } from '../../ui/graph/html.js';
import { graphMermaid } from '../../ui/graph/mermaid.js';
import { graphSvg } from '../../ui/graph/svg.js';
import { graphInventory } from '../../workflows/graph.js';
import type { Format, GraphArgs } from '../commands/graph.js';
import { inventoryRunOptions } from '../options.js';
import { checkOutFile, writeOutFile } from '../output.js';

/** The format `--out`'s extension names, when --format is not given. */
const formatOf = (out: string | undefined): Format => (out?.endsWith('.svg') ? 'svg' : out?.endsWith('.html') || out?.endsWith('.htm') ? 'html' : 'mermaid');

/** `apim-deploy graph`: the topology as Mermaid text, or a self-contained SVG or HTML picture. */
export default async function graph(argv: GraphArgs): Promise<void> {
  if (argv.out) checkOutFile(argv.out);
  const graph = await graphInventory(inventoryRunOptions(argv));
  const format = argv.format ?? formatOf(argv.out);
  const output = format === 'svg' ? `${graphSvg(graph)}\n` : format === 'html' ? graphHtml(graph) : graphMermaid(graph);
  if (!argv.out) return void process.stdout.write(output);
  writeOutFile(argv.out, output);
  process.stderr.write(`${format} of ${graph.hosts.length} hosts and ${graph.edges.length} wires written to ${argv.out}\n`);
}
