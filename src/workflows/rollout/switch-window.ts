import type { NodeRef } from '../../model/inventory.js';
import type { RollingBatch } from '../../planner/rolling.js';
import { restorePreviousSteps, reverseSwitch, switchSteps, type NodeSwitch } from '../../planner/rolling-window.js';
import type { RunContext } from '../run/open-run.js';
import type { BalancerContext } from './balancer.js';
import type { BatchWindow } from './batch.js';
import { rollWindows, type Rollout, type RolloutOptions } from './roll-windows.js';
import { makeSwitch, STOP_GRACE_MS } from './switches.js';

/** The way back for a switch whose gate failed: the started release's own stop, the left release's start and gate. */
export function reverseOf(ctx: Pick<RunContext, 'runtimeAt'>, s: NodeSwitch, healthTimeoutMs?: number): NodeSwitch | null {
  if (!s.from || !s.fromVersion) return null;
  const started = ctx.runtimeAt(s.toVersion, s.node);
  const old = ctx.runtimeAt(s.fromVersion, s.node);
  if (!started || !old) return null;
  const back = makeSwitch({ node: s.node, link: s.link, releases: { current: s.to, previous: null, releases: [] }, to: s.from,
    stopRuntime: old, startRuntime: old, running: false, ...(healthTimeoutMs ? { healthTimeoutMs } : {}) });
  return reverseSwitch(s, { argv: started.stop, env: started.env, graceMs: STOP_GRACE_MS, ...(started.pidFile ? { pidFile: started.pidFile } : {}) }, back);
}

/** Release switches (upgrade, rollback) as a batch window: the way back links the release each node left and starts it. */
export function switchWindow(ctx: Pick<RunContext, 'runtimeAt'>, switches: readonly NodeSwitch[], healthTimeoutMs?: number): BatchWindow {
  const byNode = (n: NodeRef) => switches.find((s) => s.node.host === n.host && s.node.role === n.role)!;
  return {
    nodes: switches.map((s) => s.node),
    summary: switches.map((s) => `${s.node.host} ${s.fromVersion ?? '-'} → ${s.toVersion}`).join(', '),
    steps: switchSteps(switches, { rememberPrevious: true }),
    failed: (n) => `${n.host}/${n.role}: ${byNode(n).toVersion} failed its health gate; rolling back to ${byNode(n).fromVersion ?? 'nothing (no earlier release)'}`,
    revert: async (failed) => {
      const reversals = failed.map((n) => reverseOf(ctx, byNode(n), healthTimeoutMs)).filter((s): s is NodeSwitch => s !== null);
      return { steps: [...switchSteps(reversals, { rememberPrevious: false }), ...restorePreviousSteps(reversals)], nodes: reversals.map((s) => s.node) };
    },
  };
}

/** Batch after batch of release switches (upgrade, rollback): `switchesFor` builds them on fresh facts. */
export function rollSwitches(ctx: BalancerContext & Pick<RunContext, 'runtimeAt'>, meta: { inventory: string; apimVersion: string }, batches: readonly RollingBatch[],
  switchesFor: (b: RollingBatch) => Promise<readonly NodeSwitch[]>, opts: RolloutOptions): Promise<Rollout> {
  return rollWindows(ctx, meta, batches, async (b) => switchWindow(ctx, await switchesFor(b), opts.healthTimeoutMs), opts);
}
