import type { Argv, CommandModule } from 'yargs';
import { lazyHandler } from '../lazy-handler.js';
import { type HostArgs, hostOptions, jsonOption, limitOption, outFileOption, verifyOption } from '../options.js';

export interface PlanArgs extends HostArgs {
  json: boolean;
  out?: string;
  'detailed-exitcode': boolean;
  limit?: string;
  verify: boolean;
  'peer-copy': boolean;
}

/** Options the dry run adds; `provision` declares them too (for `--dry-run`). */
export function dryRunOptions<T>(y: Argv<T>): Argv<T> {
  return verifyOption(limitOption(outFileOption(y, 'save the plan to this file (no secrets, no file contents) for `provision --plan FILE`')))
    .option('peer-copy', { type: 'boolean', default: true, describe: 'hosts of one datacenter needing the same distribution or JDK copy it from each other, so it crosses the controller\'s link once (--no-peer-copy: all from the controller)' })
    .option('detailed-exitcode', { type: 'boolean', default: false, describe: 'exit 0 no changes, 2 changes pending, 1 error (as Terraform)' }) as Argv<T>;
}

/** `apim-deploy plan -i INV`: what provision would change on every host, touching nothing. */
const command: CommandModule<object, PlanArgs> = {
  command: 'plan',
  describe: 'Show what provision would change on every host (diffs, secrets masked), touching nothing',
  builder: (y) =>
    dryRunOptions(jsonOption(hostOptions(y), 'print the plan as one versioned JSON document'))
      .example('$0 plan -i inventories/eu-prod.yaml', 'steps per wave and host, with unified diffs of config files')
      .example('$0 plan -i inv.yaml --out plan.json', 'save it; then: apim-deploy provision -i inv.yaml --plan plan.json')
      .example('$0 plan -i inv.yaml --limit gw-* --detailed-exitcode', 'in CI: exit 2 when the gateways would change')
      .epilogue('--limit: only steps on matching hosts are planned; dependency gates on hosts outside the limit are not waited for (they are assumed in place).') as never,
  handler: lazyHandler(() => import('../run/plan.js')),
};

export default command;
