import type { CommandModule } from 'yargs';
import { lazyHandler } from '../lazy-handler.js';
import { batchOption, hostOptions, jsonOption, reportOption, secondsOption, wholeNumber } from '../options.js';
import { dryRunOptions, type PlanArgs } from './plan.js';

export interface ProvisionArgs extends PlanArgs {
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
          .option('concurrency', { type: 'number', requiresArg: true, coerce: wholeNumber('concurrency', 1, 1000), describe: 'steps running at once across hosts (default 16; health gates wait outside it)' }),
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
  handler: lazyHandler(() => import('../run/provision.js')),
};

export default command;
