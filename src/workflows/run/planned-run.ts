import type { HostName } from '../../model/inventory.js';
import type { Plan } from '../../model/plan.js';
import { buildPlan } from '../../planner/build-plan.js';
import type { DesiredHost } from '../../planner/desired-state.js';
import type { HostState } from '../../planner/inputs.js';
import { refuseCrossVersion } from '../upgrade/version-gate.js';
import { freshHostState } from './fresh-state.js';
import { desiredInScope, openRun, type RunContext, type RunOptions } from './open-run.js';
import { readState, stateReadsAhead } from './read-state.js';
import { preflightError } from './run-errors.js';

export interface PlanRunOptions extends RunOptions {
  /**
   * Dry run: an unreachable host is planned as a fresh one (and listed in `ctx.unreachable`), preflight problems are
   * returned in `problems`; neither throws.
   */
  readonly dryRun?: boolean;
  /** false (`--no-peer-copy`): every host gets its artifacts from the controller, none from a peer. */
  readonly peerCopy?: boolean;
}

/** A run with its plan: what provision, its dry run, a saved plan's apply and provision --rolling start from. */
export interface PlannedRun {
  readonly ctx: RunContext;
  /** The hosts in scope (`--limit`) and what they must hold. */
  readonly desired: readonly DesiredHost[];
  readonly state: ReadonlyMap<HostName, HostState>;
  readonly plan: Plan;
  /** Dry run only: preflight problems a real run would stop on. */
  readonly problems: readonly string[];
}

/**
 * The run context (load → render → hash → connect), then read facts → preflight → plan. Touches no host except to
 * read. Throws before any change when a host is unreachable or fails preflight (unless a dry run). `connect: 'every'`
 * also connects the hosts outside `--limit` (a rolling provision drains their balancers).
 */
export async function openPlannedRun(opts: PlanRunOptions, connect: 'limited' | 'every' = 'limited'): Promise<PlannedRun> {
  const ctx = await openRun(opts, { artifacts: 'hash', connect, unreachable: opts.dryRun ? 'report' : 'stop', ...(opts.verify ? {} : { readsAhead: stateReadsAhead }) });
  try {
    const desired = desiredInScope(ctx);
    const reachable = desired.filter((d) => ctx.transports.has(d.host.name));
    const { state, problems } = await readState(ctx.transports, reachable, 'report', { verify: ctx.verify, early: ctx.early });
    ctx.early.clear();
    // Another version over an installed estate is a migration, refused before any plan (as upgrade refuses it), and
    // before preflight's problems, which a migration would answer differently. Read from the facts just read.
    await refuseCrossVersion(ctx, opts.inventory, 'provision', state);
    if (problems.length > 0 && !opts.dryRun) throw preflightError(problems);
    for (const host of ctx.unreachable.keys()) state.set(host, freshHostState());
    const plan = buildPlan({ ...ctx.inputs, state, ...(opts.peerCopy === false ? { peerCopy: false } : {}) }, desired);
    return { ctx, desired, state, plan, problems };
  } catch (err) {
    await ctx.close();
    throw err;
  }
}
