import type { CommandModule } from 'yargs';
import { UsageError } from '../../errors.js';
import { ROLE_NAMES, type RoleName } from '../../model/inventory.js';
import { createRenderer, printPlan } from '../../ui/index.js';
import { previewStep, stepMutates } from '../../workflows/plan.js';
import { upgrade } from '../../workflows/upgrade.js';
import { previewUpgrade } from '../../workflows/upgrade-preview.js';
import { formatVersions } from '../../workflows/rollout/report.js';
import { interruptible } from '../interruptible.js';

/** Options upgrade and rollback share. */
export interface RollingArgs {
  inventory: string;
  'env-file'?: string;
  'accept-new-host-keys': boolean;
  json: boolean;
  'health-timeout'?: number;
  'lock-wait': number;
  verify: boolean;
}

export function rollingOptions<T>(y: import('yargs').Argv<T>) {
  return y
    .option('inventory', { alias: 'i', type: 'string', demandOption: true, describe: 'inventory YAML file' })
    .option('env-file', { type: 'string', describe: 'dotenv file with the secrets (default: the inventory with .env)' })
    .option('accept-new-host-keys', { type: 'boolean', default: false, describe: 'trust unknown SSH host keys on first use and record them' })
    .option('json', { type: 'boolean', default: false, describe: 'print one JSON event per line instead of progress' })
    .option('health-timeout', { type: 'number', describe: "seconds each node may take to pass its health gate (default: the role's)" })
    .option('lock-wait', { type: 'number', default: 0, describe: 'seconds to wait for another run\'s deploy lock before refusing' })
    .option('verify', { type: 'boolean', default: false, describe: 'hash every distribution, JDK and driver again, on the controller and the hosts, trusting no cache or upload stamp' });
}

export function rollingRunOptions(argv: RollingArgs, signal: AbortSignal) {
  return {
    inventory: argv.inventory, signal, acceptNewHostKeys: argv['accept-new-host-keys'], lockWaitMs: argv['lock-wait'] * 1000,
    verify: argv.verify,
    ...(argv['env-file'] ? { envFile: argv['env-file'] } : {}),
    ...(argv['health-timeout'] ? { healthTimeoutMs: argv['health-timeout'] * 1000 } : {}),
  };
}

interface UpgradeArgs extends RollingArgs {
  to?: string;
  batch: string;
  roles?: string;
  limit?: string;
  'max-fail': number;
  'dry-run': boolean;
}

/** `apim-deploy upgrade -i INV [--to V]`: a rolling upgrade, node by node, no request dropped. */
const command: CommandModule<object, UpgradeArgs> = {
  command: 'upgrade',
  describe: 'Roll every node to the inventory\'s apim.version (or --to): stage, then drain, switch, gate and rejoin node by node',
  builder: (y) =>
    rollingOptions(y)
      .option('to', { type: 'string', describe: 'target version for this run (default: apim.version of the inventory)' })
      .option('batch', { type: 'string', default: '1', describe: 'gateways/key managers per batch: a count or a percentage (25%); never the whole role' })
      .option('roles', { type: 'string', describe: 'only these roles, comma-separated' })
      .option('limit', { type: 'string', describe: 'only these hosts (names, roles or globs, comma-separated)' })
      .option('max-fail', { type: 'number', default: 0, describe: 'nodes that may fail their gate (and be rolled back) before the rollout stops' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'show the staging and every batch (drain, switch, undrain) with diffs, touching nothing' }) as never,
  handler: async (argv) => {
    const roles = argv.roles?.split(',').map((r) => r.trim()).filter(Boolean);
    const unknown = roles?.filter((r) => !(ROLE_NAMES as readonly string[]).includes(r)) ?? [];
    if (unknown.length > 0) throw new UsageError(`--roles: unknown role(s) ${unknown.join(', ')}`, `roles are ${ROLE_NAMES.join(', ')}`);
    if (argv['dry-run']) {
      const preview = await previewUpgrade({
        ...rollingRunOptions(argv, new AbortController().signal),
        ...(argv.to ? { to: argv.to } : {}), batch: argv.batch, ...(roles ? { roles: roles as RoleName[] } : {}), ...(argv.limit ? { limit: argv.limit } : {}),
      });
      process.stdout.write(`upgrade preview: ${preview.targets} of ${preview.inScope} node(s) to ${preview.plan.apimVersion}; nothing was changed, no lock taken\n`);
      printPlan({ plan: preview.plan, preview: previewStep, contents: preview.contents, mutates: stepMutates, secrets: preview.secrets });
      process.stdout.write('A run plans each batch again on the facts of its moment, and stops at the first node that fails its gate.\n');
      return;
    }
    const renderer = createRenderer(argv.json ? 'json' : 'plain');
    const say = (text: string) => (argv.json ? process.stdout.write(`${JSON.stringify({ notice: text })}\n`) : process.stdout.write(`${text}\n`));
    await interruptible(async (signal) => {
      const result = await upgrade({
        ...rollingRunOptions(argv, signal), onEvent: (e) => renderer.onEvent(e), onNotice: say,
        ...(argv.to ? { to: argv.to } : {}), batch: argv.batch, ...(roles ? { roles: roles as RoleName[] } : {}),
        ...(argv.limit ? { limit: argv.limit } : {}), maxFail: argv['max-fail'],
      });
      await renderer.done();
      if (argv.json) process.stdout.write(`${JSON.stringify({ versions: result.versions })}\n`);
      else for (const line of ['', ...formatVersions(result.versions)]) say(line);
      process.exitCode = result.exitCode;
    });
  },
};

export default command;
