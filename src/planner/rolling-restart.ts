import { nodeKey, type NodeRef } from '../model/inventory.js';
import type { Plan, Step } from '../model/plan.js';
import type { DesiredHost, DesiredNode } from './desired-state.js';

/**
 * `provision --rolling`: the WSO2 nodes the plan would stop (running, and a file they read changed). They leave
 * the plan and restart one batch at a time instead, each inside its own drain window.
 */
export function nodesToRoll(plan: Plan, desired: readonly DesiredHost[]): DesiredNode[] {
  const stopping = new Set(plan.waves.flatMap((w) => w.steps).filter((s) => s.kind === 'stop-component' && s.node).map((s) => nodeKey(s.node!)));
  return desired.flatMap((d) => d.nodes).filter((n) => n.kind === 'wso2' && stopping.has(nodeKey(n.node)));
}

/** Nodes whose `current` would move: a release change, which is `apim-deploy upgrade`'s job. */
export function releaseChanges(plan: Plan, nodes: readonly DesiredNode[]): DesiredNode[] {
  return nodes.filter((n) => n.release && plan.waves.some((w) => w.steps.some((s) => s.kind === 'link' && s.path === n.release!.link)));
}

/**
 * The plan without the given nodes' steps: everything that needs no drain window (other hosts, new nodes,
 * balancer and database changes). A step that waited for a removed one waits for what that one waited for;
 * a removed node is running, so its dependants find it in place. A balancer's end gate keeps the other nodes' servers.
 */
export function withoutNodes(plan: Plan, nodes: readonly NodeRef[]): Plan {
  const out = new Set(nodes.map(nodeKey));
  const removed = new Map<string, readonly string[]>();
  for (const s of plan.waves.flatMap((w) => w.steps)) if (s.node && out.has(nodeKey(s.node))) removed.set(s.id, s.after);
  const resolve = (id: string, seen: Set<string> = new Set()): string[] => {
    const up = removed.get(id);
    if (!up) return [id];
    if (seen.has(id)) return [];
    seen.add(id);
    return up.flatMap((a) => resolve(a, seen));
  };
  const keep = (s: Step): Step => ({ ...s, after: [...new Set(s.after.flatMap((a) => resolve(a)))] });
  // A balancer's gate at the end of the plan (balancer-gate.ts) no longer waits for the servers of nodes taken out.
  const gated = (s: Step): Step | null => {
    if (s.kind !== 'wait-routable' || s.node) return s;
    const servers = s.servers.filter((x) => !x.node || !out.has(nodeKey(x.node)));
    return servers.length === 0 ? null : { ...s, servers };
  };
  const waves = plan.waves.map((w) => ({ ...w, steps: w.steps.filter((s) => !removed.has(s.id)).map(keep).flatMap((s) => gated(s) ?? []) }))
    .filter((w) => w.steps.length > 0);
  return { ...plan, waves };
}

/**
 * The node as it was before the window: each changed file back to the content read from the host before it
 * was replaced (`before`: path → sha256). Files that did not exist before, and libraries, stay as they are.
 */
export function revertedNode(n: DesiredNode, before: ReadonlyMap<string, string>): DesiredNode {
  return { ...n, libs: [], files: n.files.map((f) => (before.has(f.path) ? { ...f, sha256: before.get(f.path)! } : f)) };
}
