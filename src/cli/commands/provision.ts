import type { CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';
import { pickRenderer } from '../../ui/index.js';
import { applySavedPlan } from '../../workflows/apply-plan.js';
import { provision } from '../../workflows/provision.js';
import { provisionRolling } from '../../workflows/provision-rolling.js';
import { interruptible } from '../interruptible.js';
import { batchOption, hostOptions, inventoryRunOptions, jsonOption, reportOption, secondsOption, wholeNumber } from '../options.js';
import { runRollout } from '../rollout.js';
import { commandLine, reporting } from '../run-report.js';
import { dryRunOptions, runPlan, type PlanArgs } from './plan.js';

interface ProvisionArgs extends PlanArgs {
  concurrency?: number;
  'health-timeout'?: number;
  'dry-run': boolean;
  plan?: string;
  'lock-wait': number;
  rolling: boolean;
  batch: string;
  'max-fail': number;
  report?: string;
}

/** `apim-deploy provision -i INV`: install, configure, start in dependency order, gate on health. */
const command: CommandModule<object, ProvisionArgs> = {
  command: 'provision',
  describe: 'Install, configure and start every node of the inventory in dependency order, gated on health',
  builder: (y) =>
    reportOption(batchOption(
      secondsOption(secondsOption(
        dryRunOptions(jsonOption(hostOptions(y), 'print one JSON event per line instead of progress'))
          .option('concurrency', { type: 'number', requiresArg: true, coerce: wholeNumber('concurrency', 1, 1000), describe: 'steps running at once across hosts (default 16)' }),
        'health-timeout', "seconds each node may take to pass its health checks (default: the role's)", 1),
      'lock-wait', "seconds to wait for another run's deploy lock before refusing", 0, 0)
      .option('dry-run', { type: 'boolean', default: false, describe: 'show what would change (same as `apim-deploy plan`), touching nothing' })
      .option('rolling', { type: 'boolean', default: false, describe: 'restart running nodes batch by batch, each drained from the load balancer, gated on health, reverted on failure' })
      .option('max-fail', { type: 'number', default: 0, requiresArg: true, coerce: wholeNumber('max-fail', 0), describe: 'with --rolling: nodes that may fail their gate (and be reverted) before the rollout stops' })
      .option('plan', { type: 'string', requiresArg: true, describe: 'execute exactly this saved plan (from plan --out FILE), refused if any host changed since' }),
    'with --rolling: gateways/key managers per batch, a count or a percentage (25%); never the whole role'))
      .example('$0 provision -i inventories/eu-prod.yaml', 'install and start everything; a second run changes nothing')
      .example('$0 provision -i inv.yaml --limit gw-3 --report run.html', 'one gateway, and a timeline of the run')
      .example('$0 provision -i inv.yaml --rolling --batch 25%', 'a config change that needs restarts, without dropping traffic')
      .example('$0 provision -i inv.yaml --plan plan.json', 'exactly the plan saved by `plan --out plan.json`')
      .epilogue('--limit: only steps on matching hosts run; dependency gates on hosts outside the limit are not waited for (they are assumed in place).') as never,
  handler: async (argv) => {
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
      }));
      process.exitCode = result.exitCode;
    }, 'interrupted: letting running steps finish, starting no new ones (Ctrl-C again to force)');
  },
};

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

export default command;
