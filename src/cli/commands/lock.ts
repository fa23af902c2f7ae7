import type { CommandModule } from 'yargs';
import { deployLock } from '../../workflows/deploy-lock.js';

interface LockArgs {
  action: 'status' | 'release';
  inventory: string;
  'env-file'?: string;
  'accept-new-host-keys': boolean;
}

/** `apim-deploy lock status|release -i INV`: who holds the deploy lock; remove a stale one. */
const command: CommandModule<object, LockArgs> = {
  command: 'lock <action>',
  describe: 'Show who holds the deploy lock (status), or remove a stale one whose run is gone (release)',
  builder: (y) =>
    y
      .positional('action', { choices: ['status', 'release'] as const, demandOption: true, describe: 'status | release' })
      .option('inventory', { alias: 'i', type: 'string', demandOption: true, describe: 'inventory YAML file' })
      .option('env-file', { type: 'string', describe: 'dotenv file with the secrets (default: the inventory with .env)' })
      .option('accept-new-host-keys', { type: 'boolean', default: false, describe: 'trust unknown SSH host keys on first use and record them' }) as never,
  handler: async (argv) => {
    const r = await deployLock(argv.action, {
      inventory: argv.inventory, acceptNewHostKeys: argv['accept-new-host-keys'], ...(argv['env-file'] ? { envFile: argv['env-file'] } : {}),
    });
    process.stdout.write(`${r.line}\n`);
  },
};

export default command;
