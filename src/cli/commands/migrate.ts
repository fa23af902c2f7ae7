import type { CommandModule } from 'yargs';
import { lazyHandler } from '../lazy-handler.js';
import { hostOptions, jsonOption, secondsOption, type HostArgs } from '../options.js';

export interface MigrateArgs extends HostArgs {
  to: string;
  'read-only-window'?: boolean;
  'accept-write-loss'?: boolean;
  'dry-run': boolean;
  until?: 'backup' | 'green-databases' | 'schema' | 'provision-green' | 'verify-green' | 'switch';
  rollback?: boolean;
  abort?: boolean;
  finish?: boolean;
  json: boolean;
  'lock-wait': number;
  report?: string;
}

/** `apim-deploy migrate -i INV --to V`: blue-green across versions (docs/migrate.md). */
const command: CommandModule<object, MigrateArgs> = {
  command: 'migrate',
  describe: 'Move to another APIM version blue-green: back up, copy and migrate the databases, run green beside blue, switch',
  builder: (y) =>
    secondsOption(jsonOption(hostOptions(y), 'print one JSON event per line instead of progress'),
      'lock-wait', "seconds to wait for another run's deploy lock before refusing", 0, 0)
      .option('to', { type: 'string', demandOption: true, requiresArg: true, describe: 'the version green runs (e.g. 4.6.0)' })
      .option('read-only-window', { type: 'boolean', describe: 'blue refuses design-time writes from the backup until the switch' })
      .option('accept-write-loss', { type: 'boolean', describe: 'design-time writes on blue after the backup are lost on green' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'print every phase and step from today\'s facts, touching nothing' })
      .option('until', { choices: ['backup', 'green-databases', 'schema', 'provision-green', 'verify-green', 'switch'] as const, requiresArg: true, describe: 'the last phase to run' })
      .option('abort', { type: 'boolean', describe: 'before the switch: lift the read-only window, mark the migration abandoned (green databases and backups stay)' })
      .conflicts('read-only-window', 'accept-write-loss')
      .option('rollback', { type: 'boolean', describe: 'after the switch: move clients back to blue with drain (blue must be healthy)' })
      .option('finish', { type: 'boolean', describe: 'after the switch: stop and remove blue, revoke its database grants, write <inventory>.migrated.yaml (backups and blue databases stay)' })
      .conflicts('abort', 'until')
      .conflicts('rollback', ['until', 'abort', 'finish'])
      .conflicts('finish', ['abort', 'until'])
      .example('$0 migrate -i inv.yaml --to 4.6.0 --read-only-window --dry-run', 'every phase and command of the migration, nothing changed')
      .example('$0 migrate -i inv.yaml --to 4.6.0 --accept-write-loss --until schema', 'back up, copy and migrate the databases; blue serves')
      .example('$0 migrate -i inv.yaml --to 4.6.0 --accept-write-loss --until verify-green', '... then provision green on its hosts and verify it; blue serves all traffic')
      .example('$0 migrate -i inv.yaml --to 4.6.0 --accept-write-loss --until switch', '... then move every balancer\'s clients to green with drain')
      .example('$0 migrate -i inv.yaml --to 4.6.0 --rollback', 'after the switch: clients back to blue, with drain')
      .example('$0 migrate -i inv.yaml --to 4.6.0 --abort', 'give the migration up: blue writable again, nothing deleted') as never,
  handler: lazyHandler(() => import('../run/migrate.js')),
};

export default command;
