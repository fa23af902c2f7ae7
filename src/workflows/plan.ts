import type { HostName } from '../model/inventory.js';
import type { FileContent, Plan } from '../model/plan.js';
import type { Secret } from '../model/secret.js';
import { stepMutates } from '../steps/index.js';
import { sealPlan, secretFiles } from '../planner/seal-plan.js';
import { previewContents } from './run/current-contents.js';
import { openPlannedRun, type PlanRunOptions } from './run/planned-run.js';

export type DryRunOptions = Omit<PlanRunOptions, 'dryRun'>;

/** What provision would do, computed by the same planned run, with nothing changed on any host. */
export interface DryRunResult {
  readonly plan: Plan;
  /** By sha256: the rendered files and what the files they would replace hold today (for diffs). */
  readonly contents: ReadonlyMap<string, FileContent>;
  /** Hosts that could not be reached, with why; their steps are planned as for a fresh host. */
  readonly unreachable: ReadonlyMap<HostName, string>;
  /** Preflight problems provision would stop on. */
  readonly problems: readonly string[];
  readonly secrets: readonly Secret[];
  readonly limit: string | null;
  /** True when any step would change a host (read-only checks such as wait-healthy do not count). */
  readonly changesPending: boolean;
}

/**
 * The dry run (`plan`, `provision --dry-run`): load → render → connect → read facts → plan, then read the current
 * content of every file an upload would replace, so the printer can diff it. Only reads: facts, `sha256sum`-style
 * probes, status commands and transport.read. Unreachable hosts are planned as fresh ones, not fatal.
 */
export async function dryRun(opts: DryRunOptions): Promise<DryRunResult> {
  const { ctx, plan: raw, problems, desired } = await openPlannedRun({ ...opts, dryRun: true });
  try {
    // What leaves the process is sealed: secret-bearing files' digests are HMACs under the inventory's plan key.
    const { plan, contents } = sealPlan(raw, await previewContents(ctx, raw.waves.flatMap((w) => w.steps)), secretFiles(desired), ctx.inputs.seal);
    return {
      plan,
      contents,
      unreachable: new Map([...ctx.unreachable].map(([host, e]) => [host, e.message])),
      problems,
      secrets: ctx.inventory.secrets,
      limit: opts.limit ?? null,
      changesPending: plan.waves.some((w) => w.steps.some(stepMutates)),
    };
  } finally {
    await ctx.close();
  }
}

/**
 * Terraform's convention with `--detailed-exitcode`: 0 no changes, 2 changes pending, 1 error (an unreachable host
 * or a preflight problem: provision would not run). Without it, 0 unless there is an error.
 */
export function dryRunExitCode(result: Pick<DryRunResult, 'unreachable' | 'problems' | 'changesPending'>, detailed: boolean): number {
  if (result.unreachable.size > 0 || result.problems.length > 0) return 1;
  return detailed && result.changesPending ? 2 : 0;
}

/** The step modules' preview, for printers (the CLI and ui do not import steps). */
export { previewStep } from '../steps/index.js';
export { stepMutates };
