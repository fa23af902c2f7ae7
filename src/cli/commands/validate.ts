import type { CommandModule } from 'yargs';
import { formatIssue } from '../../errors.js';
import { loadInventory } from '../../inventory/load.js';
import { summarizeInventory } from '../../inventory/summary.js';
import { explainConnection } from '../../workflows/explain-connection.js';

interface ValidateArgs {
  inventory: string;
  'env-file'?: string;
  explain?: string;
}

/** `apim-deploy validate -i INV`: every problem at once (exit 3), or a one-line summary (exit 0). Touches no host. */
const validate: CommandModule<object, ValidateArgs> = {
  command: 'validate',
  describe: 'Check an inventory against its pattern: every problem at once, nothing touches a host',
  builder: (y) =>
    y
      .option('inventory', { alias: 'i', type: 'string', demandOption: true, describe: 'inventory YAML file' })
      .option('env-file', { type: 'string', describe: 'dotenv file with the secrets (default: the inventory with .env)' })
      .option('explain', { type: 'string', describe: 'HOST: how it is logged in to (user, port, keys, jump hosts, sudo) and where each value came from' }) as never,
  handler: async (argv) => {
    const inv = await loadInventory(argv.inventory, { envFile: argv['env-file'] });
    for (const w of inv.warnings) process.stderr.write(`${formatIssue({ ...w, message: `warning: ${w.message}` })}\n`);
    process.stdout.write(`${summarizeInventory(inv)}\n`);
    if (argv.explain !== undefined) process.stdout.write(`${explainConnection(inv, argv.explain)}\n`);
  },
};

export default validate;
