import { upgrade } from '../../workflows/upgrade.js';
import { previewUpgrade } from '../../workflows/upgrade-preview.js';
import type { UpgradeArgs } from '../commands/upgrade.js';
import { printRolloutPreview, rollingRunOptions, runRollout, versionsRecap } from '../rollout.js';

/** `apim-deploy upgrade`: a rolling upgrade, node by node, no request dropped. */
export default async function upgradeCommand(argv: UpgradeArgs): Promise<void> {
  const scope = { ...(argv.to ? { to: argv.to } : {}), ...(argv.roles ? { roles: argv.roles } : {}), ...(argv['peer-copy'] === false ? { peerCopy: false } : {}) };
  if (argv['dry-run']) {
    const preview = await previewUpgrade({ ...rollingRunOptions(argv, new AbortController().signal), ...scope });
    printRolloutPreview(`upgrade preview: ${preview.targets} of ${preview.inScope} node(s) to ${preview.plan.apimVersion}`, preview);
    return;
  }
  await runRollout(argv, (report, say, signal) =>
    upgrade({ ...rollingRunOptions(argv, signal), ...scope, onEvent: (e) => report.renderer.onEvent(e), onNotice: say }), (r) => versionsRecap(r));
}
