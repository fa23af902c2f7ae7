import type { CommandModule } from 'yargs';
import type { RoleName } from '../../model/inventory.js';
import { upgrade } from '../../workflows/upgrade.js';
import { previewUpgrade } from '../../workflows/upgrade-preview.js';
import { roleList } from '../options.js';
import { printRolloutPreview, rollingOptions, rollingRunOptions, runRollout, versionsRecap, type RollingArgs } from '../rollout.js';

interface UpgradeArgs extends RollingArgs {
  to?: string;
  roles?: RoleName[];
}

/** `apim-deploy upgrade -i INV [--to V]`: a rolling upgrade, node by node, no request dropped. */
const command: CommandModule<object, UpgradeArgs> = {
  command: 'upgrade',
  describe: 'Roll every node to the inventory\'s apim.version (or --to): stage, then drain, switch, gate and rejoin node by node',
  builder: (y) =>
    rollingOptions(y, 'the staging and every batch')
      .option('to', { type: 'string', requiresArg: true, describe: 'target version for this run (default: apim.version of the inventory)' })
      .option('roles', { type: 'string', requiresArg: true, coerce: roleList, describe: 'only these roles, comma-separated (e.g. gateway,traffic-manager)' })
      .example('$0 upgrade -i inventories/eu-prod.yaml --dry-run', 'what would be staged, drained and switched, with diffs')
      .example('$0 upgrade -i inv.yaml --batch 25% --report upgrade.html', 'a quarter of the gateways at a time, and a timeline')
      .example('$0 upgrade -i inv.yaml --to 4.6.0 --roles gateway', 'the gateways only, to 4.6.0') as never,
  handler: async (argv) => {
    const scope = { ...(argv.to ? { to: argv.to } : {}), ...(argv.roles ? { roles: argv.roles } : {}) };
    if (argv['dry-run']) {
      const preview = await previewUpgrade({ ...rollingRunOptions(argv, new AbortController().signal), ...scope });
      printRolloutPreview(`upgrade preview: ${preview.targets} of ${preview.inScope} node(s) to ${preview.plan.apimVersion}`, preview);
      return;
    }
    await runRollout(argv, (report, say, signal) =>
      upgrade({ ...rollingRunOptions(argv, signal), ...scope, onEvent: (e) => report.renderer.onEvent(e), onNotice: say }), (r) => versionsRecap(r));
  },
};

export default command;
