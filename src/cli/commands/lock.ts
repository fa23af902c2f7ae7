import type { CommandModule } from 'yargs';
import { lazyHandler } from '../lazy-handler.js';
import { hostOptions, jsonOption, type HostArgs } from '../options.js';

export interface LockArgs extends HostArgs {
  action: 'status' | 'release';
  json: boolean;
}

/** `apim-deploy lock status|release -i INV`: who holds the deploy lock; remove a stale one. */
const command: CommandModule<object, LockArgs> = {
  command: 'lock <action>',
  describe: 'Show who holds the deploy lock (status), or remove a stale one whose run is gone (release)',
  builder: (y) =>
    jsonOption(hostOptions(y.positional('action', { choices: ['status', 'release'] as const, demandOption: true, describe: 'status | release' })),
      'print the answer as one JSON document ({"locked": …, "line": …})')
      .example('$0 lock status -i inventories/eu-prod.yaml', 'who holds the lock, since when, running what')
      .example('$0 lock release -i inventories/eu-prod.yaml', 'remove a lock whose run died (Ctrl-C twice, a lost machine)') as never,
  handler: lazyHandler(() => import('../run/lock.js')),
};

export default command;
