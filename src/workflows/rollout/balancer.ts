import { parseBalancerState, serverId, type ServerState } from '../../model/balancer-state.js';
import type { HostName, NodeRef } from '../../model/inventory.js';
import type { Step } from '../../model/plan.js';
import { nodeKey } from '../../planner/build-plan.js';
import { reach } from '../../planner/balancer-gate.js';
import { balancerSteps, type BalancerChange } from '../../planner/rolling-window.js';
import { renderNode, type RenderedNode } from '../../render/render-inventory.js';
import { remoteSha256 } from '../../steps/remote-facts.js';
import { buildNodeContext } from '../../topology/context.js';
import { balancerUpstreams } from '../../topology/load-balancer.js';
import type { RunContext } from '../run/open-run.js';

/** What re-rendering the balancers needs: the run's inventory, catalog and rendering, its contents and connections. */
export type BalancerContext = Pick<RunContext, 'inventory' | 'catalog' | 'rendered' | 'contents' | 'transports'>;

/** One balancer node rendered again with `drained` marked down; nothing else is rendered. */
function withDrained(ctx: BalancerContext, lb: RenderedNode, drained: readonly NodeRef[]): RenderedNode {
  return renderNode(ctx.catalog[lb.role], buildNodeContext(ctx.inventory, ctx.catalog, lb.node, { drained }));
}

/** The balancers of the run: rendered load-balancer nodes that say how they drain. */
const balancers = (ctx: Pick<BalancerContext, 'rendered'>) => ctx.rendered.filter((r) => r.role === 'load-balancer' && r.context.loadBalancer && r.runtime.balancer);

/**
 * For every balancer that proxies to one of `nodes`: how each is reached, and either the config with `drained`
 * marked down (its content is added to ctx.contents; what the host holds now is read fresh, the last batch changed
 * it) or the runtime commands that need no config change.
 */
export async function balancerChanges(ctx: BalancerContext, nodes: readonly NodeRef[], drained: readonly NodeRef[]): Promise<BalancerChange[]> {
  const changes: BalancerChange[] = [];
  for (const current of balancers(ctx)) {
    const proxied = nodes.flatMap((node) => {
      const r = reach(current.context.loadBalancer!, node);
      return r ? [{ node, ...r }] : [];
    });
    const transport = ctx.transports.get(current.host);
    const spec = current.runtime.balancer!;
    if (proxied.length === 0 || !transport) continue;
    if (spec.drain === 'runtime' && spec.set) {
      changes.push({ host: current.host, nodes: proxied, config: null, runtime: { set: spec.set, state: spec.state, ...(spec.sessions ? { sessions: spec.sessions } : {}) } });
      continue;
    }
    const lb = withDrained(ctx, current, drained);
    const file = lb.files[0];
    const reload = lb.runtime.reload;
    if (!file || !reload) continue;
    ctx.contents.set(file.sha256, { sha256: file.sha256, content: file.content, secret: file.secret });
    changes.push({
      host: lb.host, nodes: proxied, runtime: null,
      config: { path: file.path, mode: file.mode, owner: `${file.owner}:${file.group}`, sha256: file.sha256, expectSha256: await remoteSha256(transport, file.path), reload },
    });
  }
  return changes;
}

/** A node one balancer does not route to now, and why (its servers' state there). */
export interface HeldOut {
  readonly balancer: HostName;
  readonly node: NodeRef;
  /** `apim_gateway_http/10.0.0.5:8280 maint`, per server not in service. */
  readonly servers: readonly string[];
}

/**
 * The balancer side of a switch, for rollouts now and a blue→green switch later: take nodes out, put them back once
 * the balancer itself routes to them, and read what each balancer holds out. Returns plan steps; the caller runs them.
 */
export interface BalancerControl {
  /** Out of every balancer that proxies to them, then wait for their in-flight connections to end. */
  drain(nodes: readonly NodeRef[]): Promise<Step[]>;
  /** Back in, each once the balancer routes to it; `stillOut` stay out (a reloaded config keeps them down). */
  undrain(nodes: readonly NodeRef[], stillOut?: readonly NodeRef[]): Promise<Step[]>;
  /** What the balancers hold out of service now, read on the balancer hosts; unreadable balancers are named. */
  heldOut(): Promise<{ readonly nodes: readonly HeldOut[]; readonly unread: readonly string[] }>;
}

export function balancerControl(ctx: BalancerContext): BalancerControl {
  return {
    drain: async (nodes) => balancerSteps(await balancerChanges(ctx, nodes, nodes), false),
    undrain: async (nodes, stillOut = []) => balancerSteps(await balancerChanges(ctx, nodes, stillOut), true),
    heldOut: () => heldOut(ctx),
  };
}

async function heldOut(ctx: BalancerContext): Promise<{ nodes: HeldOut[]; unread: string[] }> {
  const nodes: HeldOut[] = [];
  const unread: string[] = [];
  await Promise.all(balancers(ctx).map(async (lb) => {
    const t = ctx.transports.get(lb.host);
    const r = t ? await t.exec({ argv: lb.runtime.balancer!.state }).catch((e: unknown) => ({ exitCode: -1, stdout: '', stderr: (e as Error).message })) : null;
    if (!r || r.exitCode !== 0) {
      unread.push(`${lb.host}: ${r ? r.stderr.trim() || `exit ${r.exitCode}` : 'not connected'}`);
      return;
    }
    const state = parseBalancerState(r.stdout);
    const byNode = new Map<string, { node: NodeRef; servers: string[] }>();
    for (const u of balancerUpstreams(lb.context.loadBalancer!)) {
      for (const s of u.servers) {
        const id = serverId(u.name, s.address, s.port);
        const seen: ServerState | undefined = state.get(id);
        if (!seen || seen.admin === 'ready') continue;
        const entry = byNode.get(nodeKey(s.node)) ?? byNode.set(nodeKey(s.node), { node: s.node, servers: [] }).get(nodeKey(s.node))!;
        entry.servers.push(`${id} ${seen.admin}`);
      }
    }
    for (const e of byNode.values()) nodes.push({ balancer: lb.host, ...e });
  }));
  return { nodes, unread };
}
