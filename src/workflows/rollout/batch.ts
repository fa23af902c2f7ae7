import type { RunResult, StepResult } from '../../executor/result.js';
import type { NodeRef } from '../../model/inventory.js';
import type { Plan, Step } from '../../model/plan.js';
import { nodeKey as key } from '../../planner/build-plan.js';
import type { RollingBatch } from '../../planner/rolling.js';
import { singleWavePlan, type PlanMeta } from '../../planner/plan-of.js';
import { balancerControl, type BalancerContext } from './balancer.js';

export interface BatchHooks {
  readonly meta: PlanMeta;
  /** Runs one plan (events go to the UI); `interruptible` plans stop starting steps on Ctrl-C. */
  execute(plan: Plan, interruptible: boolean): Promise<RunResult>;
  notice(text: string): void;
  /** Steps whose status changed after their run (a switch rolled back): the UI hears their final status. */
  restated(results: readonly StepResult[]): void;
  readonly now: () => number;
}

/** What a batch does to its nodes while they are out of the load balancer, and the way back. */
export interface BatchWindow {
  readonly nodes: readonly NodeRef[];
  /** For the notice: `gw-1 4.5.0 → 4.6.0`. */
  readonly summary: string;
  /** Every node's window, nodes in parallel: stop … health gate. */
  readonly steps: readonly Step[];
  /** The notice for a node whose gate failed, saying where it goes back to. */
  failed(node: NodeRef): string;
  /** The way back for nodes whose gate failed (built on fresh facts), and the nodes it takes back. */
  revert(failed: readonly NodeRef[]): Promise<{ readonly steps: readonly Step[]; readonly nodes: readonly NodeRef[] }>;
}

export interface BatchOutcome {
  readonly label: string;
  readonly nodes: readonly NodeRef[];
  /** Changed as planned (on the target release, or restarted with the new config) and healthy. */
  readonly switched: readonly NodeRef[];
  /** Failed the gate, back as they were (release, or config) and healthy. */
  readonly rolledBack: readonly NodeRef[];
  /** Neither, or the balancer would not route to them: left out of the load balancer. */
  readonly broken: readonly NodeRef[];
  /** Not started: Ctrl-C (or a failed drain) before the window. */
  readonly untouched: readonly NodeRef[];
  /** Lost during their window (their host stopped answering): left out of the load balancer, state unknown. */
  readonly unreachable: readonly NodeRef[];
  readonly results: readonly StepResult[];
  /** From the first drain step to the last undrain step (or the gate when no balancer proxies to the batch). */
  readonly outOfServiceMs: number;
}

const gateOk = (run: RunResult, node: NodeRef): boolean =>
  run.steps.some((r) => r.stepId === `${node.host}/wait-healthy/${node.role}` && r.status === 'ok');

async function run(hooks: BatchHooks, label: string, steps: Plan['waves'][number]['steps'], interruptible: boolean): Promise<RunResult | null> {
  if (steps.length === 0) return null;
  return hooks.execute(singleWavePlan(hooks.meta, label, steps), interruptible);
}

/**
 * One batch: drain its nodes from the load balancers, run their window (stop, switch or reconfigure, start, gate),
 * revert any node that fails its gate, and put every healthy node back. Only the drain listens to Ctrl-C: once a
 * node stops, its window runs to the end, so no node is left stopped or half-changed.
 */
export async function runBatch(ctx: BalancerContext, batch: RollingBatch, window: BatchWindow, hooks: BatchHooks): Promise<BatchOutcome> {
  const started = hooks.now();
  const results: StepResult[] = [];
  const nodes = window.nodes;
  const balancer = balancerControl(ctx);
  const done = (o: Omit<BatchOutcome, 'label' | 'nodes' | 'results' | 'outOfServiceMs'>): BatchOutcome =>
    ({ label: batch.label, nodes, results, outOfServiceMs: Math.round(hooks.now() - started), ...o });

  const drained = await run(hooks, `${batch.label}: drain`, await balancer.drain(nodes), true);
  if (drained) results.push(...drained.steps);
  if (drained && !drained.ok) {
    const back = await run(hooks, `${batch.label}: undrain`, await balancer.undrain(nodes), false);
    if (back) results.push(...back.steps);
    return done({ switched: [], rolledBack: [], broken: back ? nodes.filter((n) => !rejoined(back, n)) : [], untouched: nodes, unreachable: [] });
  }

  const switched = (await run(hooks, `${batch.label}: switch`, [...window.steps], false))!;
  const lost = nodes.filter((n) => switched.steps.some((r) => r.host === n.host && r.unreachable));
  for (const n of lost) hooks.notice(`${key(n)}: its host stopped answering during its window; left out of the load balancer, its state unknown`);
  const failedGate = nodes.filter((n) => !gateOk(switched, n) && !lost.includes(n));
  for (const n of failedGate) hooks.notice(window.failed(n));
  const reversal = failedGate.length > 0 ? await window.revert(failedGate) : { steps: [], nodes: [] };
  const rolled = await run(hooks, `${batch.label}: roll back`, [...reversal.steps], false);
  const rolledBack = rolled ? reversal.nodes.filter((n) => gateOk(rolled, n)) : [];
  const rolledKeys = new Set(rolledBack.map(key));
  const restated: StepResult[] = [];
  results.push(...switched.steps.map((r): StepResult => {
    const mine = failedGate.some((n) => rolledKeys.has(key(n)) && r.host === n.host);
    if (!mine || (r.status !== 'changed' && r.status !== 'failed')) return r;
    const back: StepResult = { ...r, status: 'rolled-back', reason: `rolled back: ${r.reason}` };
    restated.push(back);
    return back;
  }));
  if (restated.length > 0) hooks.restated(restated);
  if (rolled) results.push(...rolled.steps);

  const healthy = new Set([...nodes.filter((n) => gateOk(switched, n)).map(key), ...rolledKeys]);
  const unhealthy = nodes.filter((n) => !healthy.has(key(n)) && !lost.includes(n));
  for (const n of unhealthy) hooks.notice(`${key(n)}: healthy neither after the change nor after the way back; left out of the load balancer`);
  const back = await run(hooks, `${batch.label}: undrain`, await balancer.undrain(nodes.filter((n) => healthy.has(key(n))), [...unhealthy, ...lost]), false);
  if (back) results.push(...back.steps);
  const unroutable = back ? nodes.filter((n) => healthy.has(key(n)) && !rejoined(back, n)) : [];
  for (const n of unroutable) hooks.notice(`${key(n)}: healthy, but the load balancer could not be shown to route to it; left out of the load balancer`);
  const broken = [...unhealthy, ...unroutable];
  const ok = (n: NodeRef) => !broken.some((b) => key(b) === key(n));
  return done({ switched: nodes.filter((n) => gateOk(switched, n) && ok(n)), rolledBack: rolledBack.filter(ok), broken, untouched: [], unreachable: lost });
}

/** Every undrain step of the node (one per balancer that proxies to it) finished: it is back in service. */
const rejoined = (run: RunResult, node: NodeRef): boolean => {
  const mine = run.steps.filter((r) => r.kind === 'drain' && r.stepId.endsWith(`/drain/${node.host}-${node.role}`));
  return mine.every((r) => r.status === 'ok');
};
