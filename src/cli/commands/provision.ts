import type { CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';
import { createRenderer, pickRenderer } from '../../ui/index.js';
import { applySavedPlan } from '../../workflows/apply-plan.js';
import { provision } from '../../workflows/provision.js';
import { provisionRolling } from '../../workflows/provision-rolling.js';
import { interruptible } from '../interruptible.js';
import { dryRunOptions, runPlan } from './plan.js';

interface ProvisionArgs {
  inventory: string;
  'env-file'?: string;
  'accept-new-host-keys': boolean;
  json: boolean;
  verify: boolean;
  concurrency?: number;
  'health-timeout'?: number;
  'dry-run': boolean;
  plan?: string;
  out?: string;
  'detailed-exitcode': boolean;
  limit?: string;
  'lock-wait': number;
  rolling: boolean;
  batch: string;
  'max-fail': number;
}

/** `apim-deploy provision -i INV`: install, configure, start in dependency order, gate on health. */
const command: CommandModule<object, ProvisionArgs> = {
  command: 'provision',
  describe: 'Install, configure and start every node of the inventory in dependency order, gated on health',
  builder: (y) =>
    dryRunOptions(y)
      .option('inventory', { alias: 'i', type: 'string', demandOption: true, describe: 'inventory YAML file' })
      .option('env-file', { type: 'string', describe: 'dotenv file with the secrets (default: the inventory with .env)' })
      .option('accept-new-host-keys', { type: 'boolean', default: false, describe: 'trust unknown SSH host keys on first use and record them' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON event per line instead of progress' })
      .option('concurrency', { type: 'number', describe: 'steps running at once across hosts (default 16)' })
      .option('health-timeout', { type: 'number', describe: "seconds each node may take to pass its health checks (default: the role's)" })
      .option('dry-run', { type: 'boolean', default: false, describe: 'show what would change (same as `apim-deploy plan`), touching nothing' })
      .option('lock-wait', { type: 'number', default: 0, describe: "seconds to wait for another run's deploy lock before refusing" })
      .option('rolling', { type: 'boolean', default: false, describe: 'restart running nodes batch by batch, each drained from the load balancer, gated on health, reverted on failure' })
      .option('batch', { type: 'string', default: '1', describe: 'with --rolling: gateways/key managers per batch, a count or a percentage (25%); never the whole role' })
      .option('max-fail', { type: 'number', default: 0, describe: 'with --rolling: nodes that may fail their gate (and be reverted) before the rollout stops' })
      .option('plan', { type: 'string', describe: 'execute exactly this saved plan (from --dry-run --out), refused if any host changed since' })
      .epilogue('--limit: only steps on matching hosts run; dependency gates on hosts outside the limit are not waited for (they are assumed in place).') as never,
  handler: async (argv) => {
    if (argv['dry-run']) {
      if (argv.plan) throw new UsageError('--dry-run and --plan do not go together', 'to preview a saved plan, run apim-deploy plan again');
      process.exitCode = await runPlan(argv);
      return;
    }
    if (argv.out || argv['detailed-exitcode']) throw new UsageError('--out and --detailed-exitcode go with --dry-run', 'or use: apim-deploy plan -i INV ...');
    if (argv.rolling) {
      if (argv.plan) throw new UsageError('--rolling and --plan do not go together', 'a rolling run plans each batch on fresh facts: drop --plan');
      await rollingProvision(argv);
      return;
    }
    const renderer = pickRenderer({ json: argv.json });
    await interruptible(async (signal) => {
      const run = argv.plan ? (o: Parameters<typeof provision>[0]) => applySavedPlan({ ...o, planFile: argv.plan! }) : provision;
      const result = await run({
        inventory: argv.inventory,
        ...(argv['env-file'] ? { envFile: argv['env-file'] } : {}),
        acceptNewHostKeys: argv['accept-new-host-keys'],
        onEvent: (e) => renderer.onEvent(e),
        signal,
        ...(argv.concurrency ? { concurrency: argv.concurrency } : {}),
        ...(argv['health-timeout'] ? { healthTimeoutMs: argv['health-timeout'] * 1000 } : {}),
        ...(argv.limit !== undefined ? { limit: argv.limit } : {}),
        lockWaitMs: argv['lock-wait'] * 1000,
        verify: argv.verify,
      });
      await renderer.done();
      process.exitCode = result.exitCode;
    }, 'interrupted: letting running steps finish, starting no new ones (Ctrl-C again to force)');
  },
};

/** `provision --rolling`: progress as plain lines (several runs, one per batch), then each restarted node's outcome. */
async function rollingProvision(argv: ProvisionArgs): Promise<void> {
  const renderer = createRenderer(argv.json ? 'json' : 'plain');
  const say = (text: string) => process.stdout.write(argv.json ? `${JSON.stringify({ notice: text })}\n` : `${text}\n`);
  await interruptible(async (signal) => {
    const result = await provisionRolling({
      inventory: argv.inventory, signal, acceptNewHostKeys: argv['accept-new-host-keys'], lockWaitMs: argv['lock-wait'] * 1000,
      onEvent: (e) => renderer.onEvent(e), onNotice: say, batch: argv.batch, maxFail: argv['max-fail'],
      ...(argv['env-file'] ? { envFile: argv['env-file'] } : {}),
      ...(argv.concurrency ? { concurrency: argv.concurrency } : {}),
      ...(argv['health-timeout'] ? { healthTimeoutMs: argv['health-timeout'] * 1000 } : {}),
      ...(argv.limit !== undefined ? { limit: argv.limit } : {}),
      verify: argv.verify,
    });
    await renderer.done();
    if (argv.json) process.stdout.write(`${JSON.stringify({ restarts: result.nodes.map((n) => ({ node: n.node, outcome: n.outcome })) })}\n`);
    else for (const n of result.nodes) say(`${n.node.host}/${n.node.role}: ${n.outcome}`);
    process.exitCode = result.exitCode;
  });
}

export default command;
