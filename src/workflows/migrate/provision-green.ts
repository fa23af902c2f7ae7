import type { MigrationPlan } from '../../model/migration.js';
import { planRunner, runExitCode, type ExecuteOptions } from '../run/execute.js';
import type { RunOptions } from '../run/open-run.js';
import { openPlannedRun } from '../run/planned-run.js';
import { greenRunOptions } from './green-run.js';

/** How a phase run outside the database steps ended. */
export interface PhaseOutcome {
  readonly ok: boolean;
  readonly exitCode: number;
  /** Why it stopped, for the operator; blue keeps serving either way. */
  readonly message?: string;
}

export interface GreenPhaseInput {
  readonly opts: RunOptions & ExecuteOptions;
  readonly plan: MigrationPlan;
  readonly balancers: readonly string[];
  readonly notice: (text: string) => void;
}

const steps = (p: { waves: readonly { steps: readonly unknown[] }[] }): number => p.waves.reduce((n, w) => n + w.steps.length, 0);

/**
 * provision-green: green's inventory (green partners at --to, on the green databases) planned and run by the planner
 * and executor `provision` uses, limited to the green partners and the database server; then blue's inventory
 * planned for the balancers alone, which opens the green-only listener (nginx.conf/haproxy.cfg's green block) and
 * leaves every client listener on blue. A re-run plans nothing new: both plans are idempotent.
 */
export async function provisionGreen({ opts, plan, balancers, notice }: GreenPhaseInput): Promise<PhaseOutcome> {
  const green = await openPlannedRun(greenRunOptions(opts, plan, 'provision'));
  try {
    notice(`provision-green: ${steps(green.plan)} step(s) for ${green.desired.map((d) => d.host.name).join(', ')} at ${plan.to}`);
    const run = await planRunner(green.ctx, opts)(green.plan, true);
    if (!run.ok) return { ok: false, exitCode: run.aborted ? 130 : runExitCode(run), message: 'green was not provisioned' };
  } finally {
    await green.ctx.close();
  }
  if (balancers.length === 0) return { ok: true, exitCode: 0 };
  // A balancer may share its host with the database: this plan is for the balancer alone.
  const lb = await openPlannedRun({ ...opts, limit: balancers.join(','), onlyRoles: new Map(balancers.map((b) => [b, ['load-balancer']])) });
  try {
    notice(`provision-green: the green-only path on ${balancers.join(', ')}: ${steps(lb.plan)} step(s)`);
    const run = await planRunner(lb.ctx, opts)(lb.plan, true);
    if (!run.ok) return { ok: false, exitCode: run.aborted ? 130 : runExitCode(run), message: 'the green-only path was not opened on the balancers' };
  } finally {
    await lb.ctx.close();
  }
  return { ok: true, exitCode: 0 };
}
