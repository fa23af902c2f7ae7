import type { Argv, CommandModule } from 'yargs';
import { planDocumentJson, printPlan } from '../../ui/index.js';
import { dryRun, dryRunExitCode, previewStep, stepMutates } from '../../workflows/plan.js';
import { writeSavedPlan } from '../../workflows/saved-plan/plan-file.js';
import { reportError } from '../report-error.js';

export interface PlanArgs {
  inventory: string;
  'env-file'?: string;
  'accept-new-host-keys': boolean;
  json: boolean;
  out?: string;
  'detailed-exitcode': boolean;
  limit?: string;
  verify: boolean;
}

/** Options the dry run adds; `provision` declares them too (for `--dry-run`). */
export function dryRunOptions<T>(y: Argv<T>): Argv<T> {
  return y
    .option('out', { type: 'string', describe: 'save the plan (no secrets, no file contents) for `provision --plan FILE`' })
    .option('detailed-exitcode', { type: 'boolean', default: false, describe: 'exit 0 no changes, 2 changes pending, 1 error (as Terraform)' })
    .option('limit', { type: 'string', describe: 'only these hosts: names, role names or globs, comma-separated (e.g. gw-*,lb-1)' })
    .option('verify', { type: 'boolean', default: false, describe: 'hash every distribution, JDK and driver again, on the controller and the hosts, trusting no cache or upload stamp' }) as Argv<T>;
}

/** Prints the dry run (text or versioned JSON), saves it with --out, and returns the exit code. */
export async function runPlan(argv: PlanArgs): Promise<number> {
  try {
    const result = await dryRun({
      inventory: argv.inventory,
      ...(argv['env-file'] ? { envFile: argv['env-file'] } : {}),
      acceptNewHostKeys: argv['accept-new-host-keys'],
      ...(argv.limit !== undefined ? { limit: argv.limit } : {}),
      verify: argv.verify,
    });
    const input = {
      plan: result.plan, preview: previewStep, contents: result.contents, unreachable: result.unreachable,
      mutates: stepMutates, problems: result.problems, secrets: result.secrets,
    };
    if (argv.json) process.stdout.write(`${planDocumentJson({ ...input, ...(argv.limit !== undefined ? { limit: argv.limit } : {}) })}\n`);
    else printPlan(input);
    if (argv.out) {
      if (result.unreachable.size > 0 || result.problems.length > 0) {
        process.stderr.write(`plan not saved to ${argv.out}: provision would not run (unreachable hosts or preflight problems above)\n`);
      } else {
        writeSavedPlan(argv.out, result);
        process.stderr.write(`Plan saved to ${argv.out}. Apply exactly it with: apim-deploy provision -i ${argv.inventory} --plan ${argv.out}\n`);
      }
    }
    return dryRunExitCode(result, argv['detailed-exitcode']);
  } catch (err) {
    // With --detailed-exitcode, 2 means "changes pending": every error must be 1, whatever its usual code.
    if (!argv['detailed-exitcode']) throw err;
    reportError(err);
    return 1;
  }
}

/** `apim-deploy plan -i INV`: what provision would change on every host, touching nothing. */
const command: CommandModule<object, PlanArgs> = {
  command: 'plan',
  describe: 'Show what provision would change on every host (diffs, secrets masked), touching nothing',
  builder: (y) =>
    dryRunOptions(
      y
        .option('inventory', { alias: 'i', type: 'string', demandOption: true, describe: 'inventory YAML file' })
        .option('env-file', { type: 'string', describe: 'dotenv file with the secrets (default: the inventory with .env)' })
        .option('accept-new-host-keys', { type: 'boolean', default: false, describe: 'trust unknown SSH host keys on first use and record them' })
        .option('json', { type: 'boolean', default: false, describe: 'print the plan as one versioned JSON document' }),
    ).epilogue('--limit: only steps on matching hosts are planned; dependency gates on hosts outside the limit are not waited for (they are assumed in place).') as never,
  handler: async (argv) => {
    process.exitCode = await runPlan(argv);
  },
};

export default command;
