import { serverId } from '../model/balancer-state.js';
import { nodeKey, type NodeRef } from '../model/inventory.js';
import type { Wave } from '../model/plan.js';
import type { RenderedNode } from '../render/render-inventory.js';
import { balancerUpstreams } from '../topology/load-balancer.js';
import type { LoadBalancerContext } from '../topology/types.js';
import { ROUTABLE_TIMEOUT_MS, type BalancedNode } from './rolling-window.js';
import { StepChain } from './step-builder.js';

/** How a balancer reaches a node: its address, every upstream port it proxies to, and its servers there. */
export function reach(lb: LoadBalancerContext, node: NodeRef): Omit<BalancedNode, 'node'> | null {
  const same = (a: NodeRef): boolean => a.host === node.host && a.role === node.role;
  const servers = balancerUpstreams(lb).flatMap((u) => u.servers.filter((s) => same(s.node)).map((s) => ({ id: serverId(u.name, s.address, s.port), address: s.address, port: s.port })));
  if (servers.length === 0) return null;
  return { address: servers[0]!.address, ports: [...new Set(servers.map((s) => s.port))], servers };
}

/** What the plan does to each node in scope: the step that ends its chain, and whether it (re)starts or reloads it. */
export interface GatedNode {
  readonly node: NodeRef;
  readonly lastStepId: string;
  readonly starts: boolean;
}

/**
 * The plan's last wave when it starts, restarts or reloads nodes behind a load balancer: each balancer in scope
 * waits until it would route to them itself. A node's own health gate is not enough: HAProxy checks its servers on
 * its own schedule (`rise 2, inter 1s`, templates/load-balancer/haproxy.cfg.eta) and marked them down while they were
 * stopped, so clients would get its 503 page for a few seconds after the run said every node was healthy. A
 * balancer that (re)starts or reloads waits for all its servers in scope. Servers the config marks down, and those
 * the balancer holds out on purpose (a drained node, a migration's other side), are not waited for. One step per
 * balancer, reading its state once per poll whatever the number of gateways; each server names its node, so
 * `provision --rolling` can take the nodes it rolls out of the plan (rolling-restart.ts withoutNodes).
 */
export function balancerGateWave(rendered: readonly RenderedNode[], nodes: readonly GatedNode[]): Wave | null {
  const byKey = new Map(nodes.map((n) => [nodeKey(n.node), n]));
  const steps = rendered.flatMap((lb) => {
    const own = byKey.get(nodeKey(lb.node));
    const lbContext = lb.context.loadBalancer;
    const state = lb.runtime.balancer?.state;
    if (!own || !lbContext || !state) return [];
    const down = new Set(balancerUpstreams(lbContext).flatMap((u) => u.servers.filter((s) => s.down).map((s) => serverId(u.name, s.address, s.port))));
    const served = nodes.filter((n) => n !== own && (own.starts || n.starts)).flatMap((n) => {
      const servers = reach(lbContext, n.node)?.servers.filter((s) => !down.has(s.id)) ?? [];
      return servers.length > 0 ? [{ gated: n, servers: servers.map((s) => ({ ...s, node: n.node })) }] : [];
    });
    if (served.length === 0) return [];
    const started = served.filter((x) => x.gated.starts).map((x) => x.gated.node.host);
    const chain = new StepChain(lb.host, undefined, [...new Set([own.lastStepId, ...served.map((x) => x.gated.lastStepId)])]);
    chain.add({
      kind: 'wait-routable', key: 'in-service', servers: served.flatMap((x) => x.servers), state, timeoutMs: ROUTABLE_TIMEOUT_MS, skipHeldOut: true,
      reason: own.starts ? `${lb.host} started or reloaded: clients get through once its own checks pass`
        : `${[...new Set(started)].join(', ')} (re)started: clients reach them once ${lb.host}'s own checks pass`,
    });
    return chain.steps;
  });
  return steps.length > 0 ? { label: 'load balancers route', steps } : null;
}
