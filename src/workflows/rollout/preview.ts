import type { FileContent, Plan, Wave } from '../../model/plan.js';
import type { Secret } from '../../model/secret.js';
import { balancerSteps, switchSteps, type NodeSwitch } from '../../planner/rolling-window.js';
import { sealPlan, secretFiles } from '../../planner/seal-plan.js';
import { previewContents } from '../run/current-contents.js';
import type { RunContext } from '../run/open-run.js';
import { balancerChanges, type BalancerContext } from './balancer.js';

/** What upgrade --dry-run and rollback --dry-run hand the plan printer. */
export interface RolloutPreview {
  /** As the rollout would build it on today's facts: (staging,) then per batch drain, switch, undrain. */
  readonly plan: Plan;
  /** Rendered files and what the files they would replace hold today, for diffs. */
  readonly contents: ReadonlyMap<string, FileContent>;
  readonly secrets: readonly Secret[];
  /** Nodes the rollout would switch, of the nodes in its scope. */
  readonly targets: number;
  readonly inScope: number;
}

/**
 * The preview of a rollout plan: empty waves dropped, sealed as every printed plan is (planner/seal-plan.ts), and
 * today's content of each file it replaces, for diffs.
 */
export async function rolloutPreview(
  ctx: Pick<RunContext, 'transports' | 'rendered' | 'inputs' | 'contents' | 'inventory' | 'desired'>,
  plan: Plan,
  counts: { targets: number; inScope: number },
): Promise<RolloutPreview> {
  const raw: Plan = { ...plan, waves: plan.waves.filter((w) => w.steps.length > 0) };
  const { plan: shown, contents } = sealPlan(raw, await previewContents(ctx, raw.waves.flatMap((w) => w.steps)), secretFiles(ctx.desired), ctx.inputs.seal);
  return { plan: shown, contents, secrets: ctx.inventory.secrets, ...counts };
}

/**
 * A batch of release switches as a preview prints it (upgrade --dry-run, rollback --dry-run): drain, switch,
 * undrain, built by the code the run uses, on today's facts.
 */
export async function switchBatchWaves(ctx: BalancerContext, label: string, switches: readonly NodeSwitch[]): Promise<Wave[]> {
  const nodes = switches.map((s) => s.node);
  const drain = await balancerChanges(ctx, nodes, nodes);
  // When the batch rejoins, the balancers hold the drained config the drain uploaded.
  // (A runtime-API balancer has no config to upload: nothing to carry over.)
  const undrain = (await balancerChanges(ctx, nodes, [])).map((c) => c.config
    ? { ...c, config: { ...c.config, expectSha256: drain.find((d) => d.host === c.host)?.config?.sha256 ?? c.config.expectSha256 } } : c);
  return [
    { label: `${label}: drain`, steps: balancerSteps(drain, false) },
    { label: `${label}: switch`, steps: switchSteps(switches, { rememberPrevious: true }) },
    { label: `${label}: undrain`, steps: balancerSteps(undrain, true) },
  ];
}
