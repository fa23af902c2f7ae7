import type { CommandModule } from 'yargs';
import { pickRenderer } from '../../ui/index.js';
import { provision } from '../../workflows/provision.js';

interface ProvisionArgs {
  inventory: string;
  'env-file'?: string;
  'accept-new-host-keys': boolean;
  json: boolean;
  concurrency?: number;
  'health-timeout'?: number;
}

/** `apim-deploy provision -i INV`: install, configure, start in dependency order, gate on health. */
const command: CommandModule<object, ProvisionArgs> = {
  command: 'provision',
  describe: 'Install, configure and start every node of the inventory in dependency order, gated on health',
  builder: (y) =>
    y
      .option('inventory', { alias: 'i', type: 'string', demandOption: true, describe: 'inventory YAML file' })
      .option('env-file', { type: 'string', describe: 'dotenv file with the secrets (default: the inventory with .env)' })
      .option('accept-new-host-keys', { type: 'boolean', default: false, describe: 'trust unknown SSH host keys on first use and record them' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON event per line instead of progress' })
      .option('concurrency', { type: 'number', describe: 'steps running at once across hosts (default 16)' })
      .option('health-timeout', { type: 'number', describe: "seconds each node may take to pass its health checks (default: the role's)" }) as never,
  handler: async (argv) => {
    const renderer = pickRenderer({ json: argv.json });
    const abort = new AbortController();
    const onSigint = () => {
      process.stderr.write('\ninterrupted: letting running steps finish, starting no new ones (Ctrl-C again to force)\n');
      process.off('SIGINT', onSigint);
      abort.abort();
    };
    process.on('SIGINT', onSigint);
    try {
      const result = await provision({
        inventory: argv.inventory,
        ...(argv['env-file'] ? { envFile: argv['env-file'] } : {}),
        acceptNewHostKeys: argv['accept-new-host-keys'],
        onEvent: (e) => renderer.onEvent(e),
        signal: abort.signal,
        ...(argv.concurrency ? { concurrency: argv.concurrency } : {}),
        ...(argv['health-timeout'] ? { healthTimeoutMs: argv['health-timeout'] * 1000 } : {}),
      });
      await renderer.done();
      process.exitCode = result.exitCode;
    } finally {
      process.off('SIGINT', onSigint);
    }
  },
};

export default command;
