import { rollback } from '../../workflows/rollback.js';
import { previewRollback } from '../../workflows/rollback-preview.js';
import type { RollingArgs } from '../rolling-options.js';
import { printRolloutPreview, rollingRunOptions, runRollout, versionsRecap } from '../rollout.js';

/** `apim-deploy rollback`: every node back to its previous release, rolling, gateways first. */
export default async function rollbackCommand(argv: RollingArgs): Promise<void> {
  if (argv['dry-run']) {
    const preview = await previewRollback({ ...rollingRunOptions(argv, new AbortController().signal), onNotice: (t) => process.stdout.write(`${t}\n`) });
    printRolloutPreview(`rollback preview: ${preview.targets} of ${preview.inScope} node(s) back to their previous release`, preview);
    return;
  }
  await runRollout(argv, (report, say, signal) =>
    rollback({ ...rollingRunOptions(argv, signal), onEvent: (e) => report.renderer.onEvent(e), onNotice: say }), (r) => versionsRecap(r));
}
