import { UsageError } from '../../errors.js';
import { pickRenderer } from '../../ui/index.js';
import { applySavedPlan } from '../../workflows/apply-plan.js';
import { provision } from '../../workflows/provision.js';
import { provisionRolling } from '../../workflows/provision-rolling.js';
import type { ProvisionArgs } from '../commands/provision.js';
import { interruptible } from '../interruptible.js';
import { inventoryRunOptions } from '../options.js';
import { runRollout } from '../rollout.js';
import { commandLine, reporting } from '../run-report.js';
import { runPlan } from './plan.js';

/** `apim-deploy provision`: install, configure, start in dependency order, gate on health. */
export default async function provisionCommand(argv: ProvisionArgs): Promise<void> {
  if (argv['dry-run']) {
    if (argv.plan) throw new UsageError('--dry-run and --plan do not go together', 'to preview a saved plan, run apim-deploy plan again');
    if (argv.report) throw new UsageError('--report goes with a run, not with --dry-run', 'drop --report, or --dry-run');
    process.exitCode = await runPlan(argv);
    return;
  }
  if (argv.out || argv['detailed-exitcode']) throw new UsageError('--out and --detailed-exitcode go with --dry-run', 'or use: apim-deploy plan -i INV ...');
  if (argv.rolling) {
    if (argv.plan) throw new UsageError('--rolling and --plan do not go together', 'a rolling run plans each batch on fresh facts: drop --plan');
    await rollingProvision(argv);
    return;
  }
  const report = reporting(pickRenderer({ json: argv.json }), argv.report, commandLine(process.argv.slice(2)));
  await interruptible(async (signal) => {
    const run = argv.plan ? (o: Parameters<typeof provision>[0]) => applySavedPlan({ ...o, planFile: argv.plan! }) : provision;
    const result = await report.run(() => run({
      ...inventoryRunOptions(argv),
      acceptNewHostKeys: argv['accept-new-host-keys'],
      onEvent: (e) => report.renderer.onEvent(e),
      signal,
      ...(argv.concurrency ? { concurrency: argv.concurrency } : {}),
      ...(argv['health-timeout'] ? { healthTimeoutMs: argv['health-timeout'] * 1000 } : {}),
      ...(argv.limit !== undefined ? { limit: argv.limit } : {}),
      lockWaitMs: argv['lock-wait'] * 1000,
      verify: argv.verify,
      ...(argv.plan ? {} : { peerCopy: argv['peer-copy'] }),
    }));
    process.exitCode = result.exitCode;
  }, 'interrupted: letting running steps finish, starting no new ones (Ctrl-C again to force)');
}

/** `provision --rolling`: progress as plain lines (several runs, one per batch), then each restarted node's outcome. */
async function rollingProvision(argv: ProvisionArgs): Promise<void> {
  await runRollout(argv, (report, say, signal) => provisionRolling({
    ...inventoryRunOptions(argv), signal, acceptNewHostKeys: argv['accept-new-host-keys'], lockWaitMs: argv['lock-wait'] * 1000,
    onEvent: (e) => report.renderer.onEvent(e), onNotice: say, batch: argv.batch, maxFail: argv['max-fail'],
    ...(argv.concurrency ? { concurrency: argv.concurrency } : {}),
    ...(argv['health-timeout'] ? { healthTimeoutMs: argv['health-timeout'] * 1000 } : {}),
    ...(argv.limit !== undefined ? { limit: argv.limit } : {}),
    verify: argv.verify,
  }), (result) => ({
    json: { restarts: result.nodes.map((n) => ({ node: n.node, outcome: n.outcome })) },
    lines: result.nodes.map((n) => `${n.node.host}/${n.node.role}: ${n.outcome}`),
  }));
}
