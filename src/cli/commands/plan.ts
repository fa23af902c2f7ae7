import type { Argv, CommandModule } from 'yargs';
import { planDocumentJson, printPlan } from '../../ui/index.js';
import { dryRun, dryRunExitCode, previewStep, stepMutates } from '../../workflows/plan.js';
import { writeSavedPlan } from '../../workflows/saved-plan/plan-file.js';
import { type HostArgs, hostOptions, inventoryRunOptions, jsonOption, limitOption, outFileOption, verifyOption } from '../options.js';
import { checkOutFile, writingInto } from '../output.js';
import { reportError } from '../report-error.js';

export interface PlanArgs extends HostArgs {
  json: boolean;
  out?: string;
  'detailed-exitcode': boolean;
  limit?: string;
  verify: boolean;
}

/** Options the dry run adds; `provision` declares them too (for `--dry-run`). */
export function dryRunOptions<T>(y: Argv<T>): Argv<T> {
  return verifyOption(limitOption(outFileOption(y, 'save the plan to this file (no secrets, no file contents) for `provision --plan FILE`')))
    .option('detailed-exitcode', { type: 'boolean', default: false, describe: 'exit 0 no changes, 2 changes pending, 1 error (as Terraform)' }) as Argv<T>;
}

/** Prints the dry run (text or versioned JSON), saves it with --out, and returns the exit code. */
export async function runPlan(argv: PlanArgs): Promise<number> {
  try {
    if (argv.out) checkOutFile(argv.out);
    const result = await dryRun({
      ...inventoryRunOptions(argv), acceptNewHostKeys: argv['accept-new-host-keys'], ...(argv.limit !== undefined ? { limit: argv.limit } : {}),
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
        writingInto(argv.out, () => writeSavedPlan(argv.out!, result), '--out');
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
    dryRunOptions(jsonOption(hostOptions(y), 'print the plan as one versioned JSON document'))
      .example('$0 plan -i inventories/eu-prod.yaml', 'steps per wave and host, with unified diffs of config files')
      .example('$0 plan -i inv.yaml --out plan.json', 'save it; then: apim-deploy provision -i inv.yaml --plan plan.json')
      .example('$0 plan -i inv.yaml --limit gw-* --detailed-exitcode', 'in CI: exit 2 when the gateways would change')
      .epilogue('--limit: only steps on matching hosts are planned; dependency gates on hosts outside the limit are not waited for (they are assumed in place).') as never,
  handler: async (argv) => {
    process.exitCode = await runPlan(argv);
  },
};

export default command;
