import type { NodeRef } from '../../model/inventory.js';
import type { BalancerChange } from '../../planner/rolling-window.js';
import { renderNode, type RenderedNode } from '../../render/render-inventory.js';
import { remoteSha256 } from '../../steps/remote-facts.js';
import { buildNodeContext } from '../../topology/context.js';
import { balancerUpstreams } from '../../topology/load-balancer.js';
import type { LoadBalancerContext } from '../../topology/types.js';
import type { RunContext } from '../run/open-run.js';

const same = (a: NodeRef, b: NodeRef): boolean => a.host === b.host && a.role === b.role;

/** How a balancer reaches a node: its address and every upstream port it proxies to. */
function reach(lb: LoadBalancerContext, node: NodeRef): { address: string; ports: number[] } | null {
  const servers = balancerUpstreams(lb).flatMap((u) => u.servers).filter((s) => same(s.node, node));
  if (servers.length === 0) return null;
  return { address: servers[0]!.address, ports: [...new Set(servers.map((s) => s.port))] };
}

/** What re-rendering the balancers needs: the run's inventory, catalog and rendering, its contents and connections. */
export type BalancerContext = Pick<RunContext, 'inventory' | 'catalog' | 'rendered' | 'contents' | 'transports'>;

/** One balancer node rendered again with `drained` marked down; nothing else is rendered. */
function withDrained(ctx: BalancerContext, lb: RenderedNode, drained: readonly NodeRef[]): RenderedNode {
  return renderNode(ctx.catalog[lb.role], buildNodeContext(ctx.inventory, ctx.catalog, lb.node, { drained }));
}

/**
 * The balancer configs with `drained` marked down, for every balancer that proxies to one of `nodes`: what to
 * upload (its content is added to ctx.contents), what the host holds now (read fresh: the last batch changed it),
 * and how each node is reached (for the drain wait).
 */
export async function balancerChanges(ctx: BalancerContext, nodes: readonly NodeRef[], drained: readonly NodeRef[]): Promise<BalancerChange[]> {
  const changes: BalancerChange[] = [];
  for (const current of ctx.rendered) {
    if (current.role !== 'load-balancer' || !current.context.loadBalancer) continue;
    const proxied = nodes.flatMap((node) => {
      const r = reach(current.context.loadBalancer!, node);
      return r ? [{ node, ...r }] : [];
    });
    const transport = ctx.transports.get(current.host);
    if (proxied.length === 0 || !current.runtime.reload || !transport) continue;
    const lb = withDrained(ctx, current, drained);
    const file = lb.files[0];
    const reload = lb.runtime.reload;
    if (!file || !reload) continue;
    ctx.contents.set(file.sha256, { sha256: file.sha256, content: file.content, secret: file.secret });
    changes.push({
      host: lb.host, path: file.path, mode: file.mode, owner: `${file.owner}:${file.group}`, sha256: file.sha256,
      expectSha256: await remoteSha256(transport, file.path), reload, nodes: proxied,
    });
  }
  return changes;
}
