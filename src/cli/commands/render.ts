import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { loadInventory } from '../../inventory/load.js';
import { renderInventory } from '../../render/render-inventory.js';
import { writeRenderedTree } from '../../render/write-tree.js';
import { withInternalPki } from '../../workflows/run/internal-pki.js';

interface RenderArgs {
  inventory: string;
  'env-file'?: string;
  out: string;
}

/** `apim-deploy render -i INV --out DIR`: every host's files under DIR/<host>/<remote path>, secrets in place. */
const render: CommandModule<object, RenderArgs> = {
  command: 'render',
  describe: 'Render every host\'s config files into a local directory (secrets included: keep it private)',
  builder: (y) =>
    y
      .option('inventory', { alias: 'i', type: 'string', demandOption: true, describe: 'inventory YAML file' })
      .option('env-file', { type: 'string', describe: 'dotenv file with the secrets (default: the inventory with .env)' })
      .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'directory to write DIR/<host>/<path> into' }) as never,
  handler: async (argv) => {
    const inv = await withInternalPki(await loadInventory(argv.inventory, { envFile: argv['env-file'], requireArtifacts: false }));
    const out = resolve(argv.out);
    const summary = writeRenderedTree(renderInventory(inv), out);
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
