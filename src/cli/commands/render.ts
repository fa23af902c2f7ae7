import type { CommandModule } from 'yargs';
import { formatIssue } from '../../errors.js';
import { loadInventory } from '../../inventory/load.js';
import { renderInventory } from '../../render/render-inventory.js';
import { writeRenderedTree } from '../../render/write-tree.js';
import { withInternalPki } from '../../workflows/run/internal-pki.js';
import { inventoryOptions, jsonOption, type InventoryArgs } from '../options.js';
import { prepareOutDir, printJson, writingInto } from '../output.js';

interface RenderArgs extends InventoryArgs {
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
  handler: async (argv) => {
    const inv = await withInternalPki(await loadInventory(argv.inventory, { envFile: argv['env-file'], requireArtifacts: false }));
    for (const w of inv.warnings) process.stderr.write(`${formatIssue({ ...w, message: `warning: ${w.message}` })}\n`);
    const out = prepareOutDir(argv['out-dir']);
    const summary = writingInto(argv['out-dir'], () => writeRenderedTree(renderInventory(inv), out));
    if (argv.json) return printJson({ outDir: out, ...summary });
    for (const h of summary.perHost) {
      process.stdout.write(`${h.host.padEnd(16)} ${h.roles.join(', ').padEnd(32)} ${h.files} file(s)\n`);
    }
    process.stdout.write(
      `${summary.files} file(s) for ${summary.perHost.length} host(s) written under ${out}` +
        ` (${summary.secretFiles} hold secrets, mode 0600: keep this directory private)\n`,
    );
  },
};

export default render;
