import { formatStatus } from '../../ui/status-table.js';
import { deploymentStatus, statusExitCode } from '../../workflows/status.js';
import type { StatusArgs } from '../commands/status.js';
import { inventoryRunOptions } from '../options.js';
import { printJson } from '../output.js';

/** `apim-deploy status`: release, PID, health and config drift per node; read-only. */
export default async function status(argv: StatusArgs): Promise<void> {
  const report = await deploymentStatus({
    ...inventoryRunOptions(argv), ...(argv.limit !== undefined ? { limit: argv.limit } : {}), probeTimeoutMs: argv['probe-timeout'] * 1000,
  });
  if (argv.json) printJson(report);
  else process.stdout.write(formatStatus(report));
  process.exitCode = statusExitCode(report);
}
