import type { Argv, CommandModule } from 'yargs';
import type { RoleName } from '../../model/inventory.js';
import { createRenderer, printPlan, type PlanPrintInput } from '../../ui/index.js';
import { previewStep, stepMutates } from '../../workflows/plan.js';
import { upgrade } from '../../workflows/upgrade.js';
import { previewUpgrade } from '../../workflows/upgrade-preview.js';
import { formatVersions, type NodeVersions } from '../../workflows/rollout/report.js';
import { interruptible } from '../interruptible.js';
import { batchOption, hostOptions, inventoryRunOptions, jsonOption, limitOption, reportOption, roleList, secondsOption, wholeNumber, type HostArgs } from '../options.js';
import { commandLine, reporting, type Reporting } from '../run-report.js';

/** Options upgrade and rollback share: they mean the same on both. */
export interface RollingArgs extends HostArgs {
  json: boolean;
  'health-timeout'?: number;
  'lock-wait': number;
  batch: string;
  limit?: string;
  'max-fail': number;
  'dry-run': boolean;
  report?: string;
}

export function rollingOptions<T>(y: Argv<T>, what: string) {
  return reportOption(limitOption(batchOption(
    secondsOption(secondsOption(jsonOption(hostOptions(y), 'print one JSON event per line instead of progress'),
      'health-timeout', "seconds each node may take to pass its health gate (default: the role's)", 1),
    'lock-wait', "seconds to wait for another run's deploy lock before refusing", 0, 0),
  'gateways/key managers per batch: a count or a percentage (25%); never the whole role'), 'only nodes on these hosts (names, role names or globs, comma-separated)'))
    .option('max-fail', { type: 'number', default: 0, requiresArg: true, coerce: wholeNumber('max-fail', 0), describe: 'nodes that may fail their gate (and be rolled back) before the rollout stops' })
    .option('dry-run', { type: 'boolean', default: false, describe: `show ${what} (drain, switch, undrain per batch) with diffs, touching nothing` });
}

export function rollingRunOptions(argv: RollingArgs, signal: AbortSignal) {
  return {
    ...inventoryRunOptions(argv), signal, acceptNewHostKeys: argv['accept-new-host-keys'], lockWaitMs: argv['lock-wait'] * 1000,
    batch: argv.batch, maxFail: argv['max-fail'], ...(argv.limit !== undefined ? { limit: argv.limit } : {}),
    ...(argv['health-timeout'] ? { healthTimeoutMs: argv['health-timeout'] * 1000 } : {}),
  };
}

/** Prints a rollout preview: the plan printer, between a headline and what a real run does differently. */
export function printRolloutPreview(headline: string, preview: Omit<PlanPrintInput, 'preview' | 'mutates'>): void {
  process.stdout.write(`${headline}; nothing was changed, no lock taken\n`);
  printPlan({ ...preview, preview: previewStep, mutates: stepMutates });
  process.stdout.write('A run plans each batch again on the facts of its moment, and stops at the first node that fails its gate.\n');
}

/** A rollout run: plain or JSON progress (several runs, one per batch), an optional report, the versions recap. */
export async function runRollout(argv: RollingArgs, run: (r: Reporting, say: (t: string) => void, signal: AbortSignal) => Promise<{ exitCode: number; versions: readonly NodeVersions[] }>): Promise<void> {
  const report = reporting(createRenderer(argv.json ? 'json' : 'plain'), argv.report, commandLine(process.argv.slice(2)));
  const say = (text: string) => {
    report.notice(text);
    process.stdout.write(argv.json ? `${JSON.stringify({ notice: text })}\n` : `${text}\n`);
  };
  await interruptible(async (signal) => {
    const result = await run(report, say, signal);
    await report.renderer.done();
    report.finish(result.exitCode);
    if (argv.json) process.stdout.write(`${JSON.stringify({ versions: result.versions })}\n`);
    else for (const line of ['', ...formatVersions(result.versions)]) say(line);
    process.exitCode = result.exitCode;
  });
}

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
      upgrade({ ...rollingRunOptions(argv, signal), ...scope, onEvent: (e) => report.renderer.onEvent(e), onNotice: say }));
  },
};

export default command;
