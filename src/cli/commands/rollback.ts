import type { CommandModule } from 'yargs';
import { createRenderer } from '../../ui/index.js';
import { rollback } from '../../workflows/rollback.js';
import { formatVersions } from '../../workflows/rollout/report.js';
import { interruptible } from '../interruptible.js';
import { rollingOptions, rollingRunOptions, type RollingArgs } from './upgrade.js';

interface RollbackArgs extends RollingArgs {
  batch: string;
}

/** `apim-deploy rollback -i INV`: every node back to its previous release, rolling, gateways first. */
const command: CommandModule<object, RollbackArgs> = {
  command: 'rollback',
  describe: 'Take every node back to its previous release, rolling in reverse dependency order (gateways first)',
  builder: (y) =>
    rollingOptions(y)
      .option('batch', { type: 'string', default: '1', describe: 'gateways/key managers per batch: a count or a percentage (25%)' }) as never,
  handler: async (argv) => {
    const renderer = createRenderer(argv.json ? 'json' : 'plain');
    const say = (text: string) => process.stdout.write(argv.json ? `${JSON.stringify({ notice: text })}\n` : `${text}\n`);
    await interruptible(async (signal) => {
      const result = await rollback({ ...rollingRunOptions(argv, signal), batch: argv.batch, onEvent: (e) => renderer.onEvent(e), onNotice: say });
      await renderer.done();
      if (argv.json) process.stdout.write(`${JSON.stringify({ versions: result.versions })}\n`);
      else for (const line of ['', ...formatVersions(result.versions)]) say(line);
      process.exitCode = result.exitCode;
    });
  },
};

export default command;
