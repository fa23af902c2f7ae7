import type { RunResult, StepResult } from '../executor/result.js';
import type { NodeRef } from '../model/inventory.js';
import type { Plan } from '../model/plan.js';
import type { RollingBatch } from '../planner/rolling.js';
import { balancerSteps, restorePreviousSteps, singleWavePlan, switchSteps, type NodeSwitch, type PlanMeta } from '../planner/rolling-window.js';
import { balancerChanges } from './upgrade-balancer.js';
import type { RollingContext } from './upgrade-context.js';

export interface BatchHooks {
  readonly meta: PlanMeta;
  /** Runs one plan (events go to the UI); `interruptible` plans stop starting steps on Ctrl-C. */
  execute(plan: Plan, interruptible: boolean): Promise<RunResult>;
  /** The switch back for a node whose gate failed, or null when it has no release to go back to. */
  reverse(s: NodeSwitch): NodeSwitch | null;
  notice(text: string): void;
  /** Steps whose status changed after their run (a switch rolled back): the UI hears their final status. */
  restated(results: readonly StepResult[]): void;
  readonly now: () => number;
}

export interface BatchOutcome {
  readonly label: string;
  readonly nodes: readonly NodeRef[];
  /** On the target release and healthy. */
  readonly switched: readonly NodeRef[];
  /** Failed the gate, back on the release they left and healthy. */
  readonly rolledBack: readonly NodeRef[];
  /** Neither: left out of the load balancer. */
  readonly broken: readonly NodeRef[];
  /** Not started: Ctrl-C (or a failed drain) before the window. */
  readonly untouched: readonly NodeRef[];
  readonly results: readonly StepResult[];
  /** From the first drain step to the last undrain step (or the gate when no balancer proxies to the batch). */
  readonly outOfServiceMs: number;
}

const gateOk = (run: RunResult, node: NodeRef): boolean =>
  run.steps.some((r) => r.stepId === `${node.host}/wait-healthy/${node.role}` && r.status === 'ok');
const key = (n: NodeRef): string => `${n.host}/${n.role}`;

async function run(hooks: BatchHooks, label: string, steps: Plan['waves'][number]['steps'], interruptible: boolean): Promise<RunResult | null> {
  if (steps.length === 0) return null;
  return hooks.execute(singleWavePlan(hooks.meta, label, steps), interruptible);
}

/**
 * One batch: drain its nodes from the load balancers, switch them (stop, link, start, gate), roll back any node
 * that fails its gate, and put every healthy node back. Only the drain listens to Ctrl-C: once a node stops, its
 * window runs to the end, so no node is left stopped or half-switched.
 */
export async function runBatch(ctx: RollingContext, batch: RollingBatch, switches: readonly NodeSwitch[], hooks: BatchHooks): Promise<BatchOutcome> {
  const started = hooks.now();
  const results: StepResult[] = [];
  const nodes = switches.map((s) => s.node);
  const done = (o: Omit<BatchOutcome, 'label' | 'nodes' | 'results' | 'outOfServiceMs'>): BatchOutcome =>
    ({ label: batch.label, nodes, results, outOfServiceMs: Math.round(hooks.now() - started), ...o });

  const drained = await run(hooks, `${batch.label}: drain`, balancerSteps(await balancerChanges(ctx, nodes, nodes), false), true);
  if (drained) results.push(...drained.steps);
  if (drained && !drained.ok) {
    const back = await run(hooks, `${batch.label}: undrain`, balancerSteps(await balancerChanges(ctx, nodes, []), true), false);
    if (back) results.push(...back.steps);
    return done({ switched: [], rolledBack: [], broken: [], untouched: nodes });
  }

  const switched = (await run(hooks, `${batch.label}: switch`, switchSteps(switches, { rememberPrevious: true }), false))!;
  const failedGate = switches.filter((s) => !gateOk(switched, s.node));
  const reversals = failedGate.map((s) => hooks.reverse(s)).filter((s): s is NodeSwitch => s !== null);
  for (const s of failedGate) hooks.notice(`${key(s.node)}: ${s.toVersion} failed its health gate; rolling back to ${s.fromVersion ?? 'nothing (no earlier release)'}`);
  const rolled = await run(hooks, `${batch.label}: roll back`, [...switchSteps(reversals, { rememberPrevious: false }), ...restorePreviousSteps(reversals)], false);
  const rolledBack = rolled ? reversals.filter((s) => gateOk(rolled, s.node)).map((s) => s.node) : [];
  const rolledKeys = new Set(rolledBack.map(key));
  const restated: StepResult[] = [];
  results.push(...switched.steps.map((r): StepResult => {
    const mine = failedGate.some((s) => rolledKeys.has(key(s.node)) && r.host === s.node.host);
    if (!mine || (r.status !== 'changed' && r.status !== 'failed')) return r;
    const back: StepResult = { ...r, status: 'rolled-back', reason: `rolled back: ${r.reason}` };
    restated.push(back);
    return back;
  }));
  if (restated.length > 0) hooks.restated(restated);
  if (rolled) results.push(...rolled.steps);

  const healthy = new Set([...switches.filter((s) => gateOk(switched, s.node)).map((s) => key(s.node)), ...rolledKeys]);
  const broken = nodes.filter((n) => !healthy.has(key(n)));
  for (const n of broken) hooks.notice(`${key(n)}: not healthy on either release; left out of the load balancer`);
  const back = await run(hooks, `${batch.label}: undrain`, balancerSteps(await balancerChanges(ctx, nodes.filter((n) => healthy.has(key(n))), broken), true), false);
  if (back) results.push(...back.steps);
  return done({ switched: switches.filter((s) => gateOk(switched, s.node)).map((s) => s.node), rolledBack, broken, untouched: [] });
}
