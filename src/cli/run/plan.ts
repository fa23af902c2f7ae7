import { planDocumentJson, printPlan } from '../../ui/index.js';
import { dryRun, dryRunExitCode, previewStep, stepMutates } from '../../workflows/plan.js';
import { writeSavedPlan } from '../../workflows/saved-plan/plan-file.js';
import type { PlanArgs } from '../commands/plan.js';
import { inventoryRunOptions } from '../options.js';
import { checkOutFile, writingInto } from '../output.js';
import { reportError } from '../report-error.js';

/** Prints the dry run (text or versioned JSON), saves it with --out, and returns the exit code. */
export async function runPlan(argv: PlanArgs): Promise<number> {
  try {
    if (argv.out) checkOutFile(argv.out);
    const result = await dryRun({
      ...inventoryRunOptions(argv), acceptNewHostKeys: argv['accept-new-host-keys'], ...(argv.limit !== undefined ? { limit: argv.limit } : {}),
      verify: argv.verify, peerCopy: argv['peer-copy'],
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

/** `apim-deploy plan`: what provision would change on every host, touching nothing. */
export default async function plan(argv: PlanArgs): Promise<void> {
  process.exitCode = await runPlan(argv);
}
