import type { CommandModule } from 'yargs';
import { formatStatus } from '../../ui/status-table.js';
import { deploymentStatus, statusExitCode } from '../../workflows/status.js';

interface StatusArgs {
  inventory: string;
  'env-file'?: string;
  json: boolean;
}

/** Bumped when the shape of `status --json` changes incompatibly. */
const STATUS_JSON_FORMAT = 1;

/** `apim-deploy status -i INV`: release, PID, health and config drift per node; read-only. */
const command: CommandModule<object, StatusArgs> = {
  command: 'status',
  describe: 'Show per host and role: the release running, its PID, health (checked once) and config drift; changes nothing',
  builder: (y) =>
    y
      .option('inventory', { alias: 'i', type: 'string', demandOption: true, describe: 'inventory YAML file' })
      .option('env-file', { type: 'string', describe: 'dotenv file with the secrets (default: the inventory with .env)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the report as one JSON document' }) as never,
  handler: async (argv) => {
    const report = await deploymentStatus({
      inventory: argv.inventory,
      ...(argv['env-file'] ? { envFile: argv['env-file'] } : {}),
    });
    process.stdout.write(argv.json ? `${JSON.stringify({ format: STATUS_JSON_FORMAT, ...report }, null, 2)}\n` : formatStatus(report));
    process.exitCode = statusExitCode(report);
  },
};

export default command;
