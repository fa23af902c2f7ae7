import type { NodeRef } from '../../model/inventory.js';
import type { Step } from '../../model/plan.js';
import { nodeKey } from '../../planner/build-plan.js';
import { rollingBatches } from '../../planner/rolling.js';
import { restorePreviousSteps, switchSteps, type NodeSwitch } from '../../planner/rolling-window.js';
import { StepChain } from '../../planner/step-builder.js';
import type { RenderedNode } from '../../render/render-inventory.js';
import { livePid } from '../../steps/remote-facts.js';
import type { RunContext } from '../run/open-run.js';
import { balancerControl } from './balancer.js';
import type { BatchWindow } from './batch.js';
import { readNodeReleases, releasesKey, releaseVersion, type RoleReleases } from './releases.js';
import { rollWindows, type Rollout, type RolloutOptions } from './roll-windows.js';
import { reverseOf } from './switch-window.js';
import { makeSwitch } from './switches.js';

/** A node a run left behind, and what the hosts say of it. */
export interface Leftover {
  readonly node: NodeRef;
  /** `lb-1: apim_gateway_http/10.0.0.5:8280 maint`, per balancer holding it out. */
  readonly heldOut: readonly string[];
  readonly running: boolean;
  readonly releases: RoleReleases;
}

const wso2Nodes = (ctx: Pick<RunContext, 'rendered'>): RenderedNode[] =>
  ctx.rendered.filter((r) => r.runtime.kind === 'wso2' && r.runtime.home !== null && r.runtime.pidFile !== null);

/**
 * What a run that died (SIGKILL, a lost controller, a host cut off) may have left, read from the hosts: nodes a
 * balancer still holds out, and installed nodes whose `current` release is not running (stopped, or switched and
 * not started yet). Read-only; `status` shows the same.
 */
export async function findLeftovers(ctx: Pick<RunContext, 'inventory' | 'catalog' | 'rendered' | 'contents' | 'transports'>): Promise<{ leftovers: Leftover[]; unread: string[] }> {
  const held = await balancerControl(ctx).heldOut();
  const nodes = wso2Nodes(ctx).filter((r) => ctx.transports.has(r.host));
  const releases = await readNodeReleases(ctx.transports, nodes.map((r) => ({ node: r.node, link: r.runtime.home! })));
  const leftovers: Leftover[] = [];
  await Promise.all(nodes.map(async (r) => {
    const rel = releases.get(releasesKey(r.node, r.runtime.home!));
    if (!rel?.current) return;
    const running = (await livePid(ctx.transports.get(r.host)!, r.runtime.pidFile!)) !== null;
    const heldOut = held.nodes.filter((h) => nodeKey(h.node) === nodeKey(r.node)).map((h) => `${h.balancer}: ${h.servers.join(', ')}`);
    if (!running || heldOut.length > 0) leftovers.push({ node: r.node, heldOut, running, releases: rel });
  }));
  const order = nodes.map((r) => nodeKey(r.node));
  leftovers.sort((a, b) => order.indexOf(nodeKey(a.node)) - order.indexOf(nodeKey(b.node)));
  return { leftovers, unread: [...held.unread] };
}

export const describeLeftover = (l: Leftover): string =>
  [l.heldOut.length > 0 ? `held out of the balancer (${l.heldOut.join('; ')})` : '', l.running ? '' : `not running ${releaseVersion(l.releases.current) ?? l.releases.current}`]
    .filter(Boolean).join(', ');

/**
 * A leftover's window: its `current` release started if it is not running, then gated. The way back for a node that
 * fails: to `previous` (the release a switch left), as an upgrade's failed switch goes back.
 */
export function finishWindow(ctx: RunContext, leftovers: readonly Leftover[], healthTimeoutMs?: number): BatchWindow {
  const link = (l: Leftover) => wso2Nodes(ctx).find((r) => nodeKey(r.node) === nodeKey(l.node))!.runtime.home!;
  const asSwitch = (l: Leftover): NodeSwitch | null => {
    const version = releaseVersion(l.releases.current);
    const rt = version ? ctx.runtimeAt(version, l.node) : undefined;
    if (!rt) return null;
    const s = makeSwitch({ node: l.node, link: link(l), releases: { ...l.releases, current: l.releases.previous }, to: l.releases.current!,
      stopRuntime: rt, startRuntime: rt, running: false, ...(healthTimeoutMs ? { healthTimeoutMs } : {}) });
    return { ...s, previousBefore: null };
  };
  const steps: Step[] = leftovers.flatMap((l) => {
    const s = asSwitch(l);
    if (!s) return [];
    const chain = new StepChain(l.node.host, l.node);
    const why = `finish what a stopped run left: ${describeLeftover(l)}`;
    if (!l.running) chain.add({ kind: 'start-component', key: l.node.role, component: l.node.role, argv: s.start.argv, env: s.start.env, ...(s.start.pidFile ? { pidFile: s.start.pidFile } : {}), ...(s.start.secretFile ? { secretFile: s.start.secretFile } : {}), reason: why });
    chain.add({ kind: 'wait-healthy', key: l.node.role, component: l.node.role, checks: s.gate.checks, policy: s.gate.policy, ...(s.gate.logFile ? { logFile: s.gate.logFile } : {}), reason: `gate ${s.toVersion} before the node rejoins` });
    return chain.steps;
  });
  const byNode = (n: NodeRef) => leftovers.find((l) => nodeKey(l.node) === nodeKey(n))!;
  return {
    nodes: leftovers.map((l) => l.node),
    summary: leftovers.map((l) => `${nodeKey(l.node)} ${describeLeftover(l)}`).join('; '),
    steps,
    failed: (n) => `${nodeKey(n)}: ${releaseVersion(byNode(n).releases.current)} did not pass its gate; going back to ${releaseVersion(byNode(n).releases.previous) ?? 'nothing (no earlier release)'}`,
    revert: async (failed) => {
      const back = failed.map((n) => asSwitch(byNode(n))).filter((s): s is NodeSwitch => s !== null && s.from !== null && s.from !== s.to)
        .map((s) => reverseOf(ctx, s, healthTimeoutMs)).filter((s): s is NodeSwitch => s !== null);
      return { steps: [...switchSteps(back, { rememberPrevious: false }), ...restorePreviousSteps(back)], nodes: back.map((s) => s.node) };
    },
  };
}

/**
 * Before a rollout goes on: finish or revert what an earlier run left (findLeftovers), node by node in dependency
 * order, and put each back into the balancers once they route to it. Null when nothing was left.
 */
export async function recoverLeftovers(ctx: RunContext, opts: RolloutOptions): Promise<Rollout | null> {
  const notice = opts.onNotice ?? (() => {});
  const { leftovers, unread } = await findLeftovers(ctx);
  for (const u of unread) notice(`cannot read the balancer's state on ${u}`);
  if (leftovers.length === 0) return null;
  for (const l of leftovers) notice(`${nodeKey(l.node)}: left by an earlier run: ${describeLeftover(l)}; finishing it`);
  const rendered = (n: NodeRef) => ctx.rendered.find((r) => nodeKey(r.node) === nodeKey(n))!;
  const batches = rollingBatches(leftovers.map((l) => ({ node: l.node, datacenter: rendered(l.node).context.datacenter, runtime: rendered(l.node).runtime })), {
    batch: { kind: 'count', count: 1 }, datacenters: ctx.inventory.datacenters.map((d) => d.name),
  }).map((b) => ({ ...b, label: `recover ${b.label}` }));
  const picked = (nodes: readonly NodeRef[]) => leftovers.filter((l) => nodes.some((n) => nodeKey(n) === nodeKey(l.node)));
  return rollWindows(ctx, { inventory: ctx.inventory.file, apimVersion: ctx.inventory.apim.version }, batches,
    async (b) => finishWindow(ctx, picked(b.nodes), opts.healthTimeoutMs), { ...opts, maxFail: 0 });
}
