import type { CommandModule } from 'yargs';
import { rollback } from '../../workflows/rollback.js';
import { previewRollback } from '../../workflows/rollback-preview.js';
import { printRolloutPreview, rollingOptions, rollingRunOptions, runRollout, versionsRecap, type RollingArgs } from '../rollout.js';

/** `apim-deploy rollback -i INV`: every node back to its previous release, rolling, gateways first. */
const command: CommandModule<object, RollingArgs> = {
  command: 'rollback',
  describe: 'Take every node back to its previous release, rolling in reverse dependency order (gateways first)',
  builder: (y) =>
    rollingOptions(y, 'every batch')
      .example('$0 rollback -i inventories/eu-prod.yaml --dry-run', 'which release each node would go back to, batch by batch')
      .example('$0 rollback -i inv.yaml --limit gw-*', 'the gateways only')
      .example('$0 rollback -i inv.yaml --batch 2 --report rollback.html', 'two nodes of a role at a time, and a timeline') as never,
  handler: async (argv) => {
    if (argv['dry-run']) {
      const preview = await previewRollback({ ...rollingRunOptions(argv, new AbortController().signal), onNotice: (t) => process.stdout.write(`${t}\n`) });
      printRolloutPreview(`rollback preview: ${preview.targets} of ${preview.inScope} node(s) back to their previous release`, preview);
      return;
    }
    await runRollout(argv, (report, say, signal) =>
      rollback({ ...rollingRunOptions(argv, signal), onEvent: (e) => report.renderer.onEvent(e), onNotice: say }), (r) => versionsRecap(r));
  },
};

export default command;
