import type { HostName, NodeRef } from '../model/inventory.js';
import type { Step } from '../model/plan.js';
import type { DesiredHost } from './desired-state.js';
import { hostSteps } from './host-steps.js';
import type { HostState } from './inputs.js';
import { nodeSteps, releaseFillMarkers } from './node-steps.js';

const sameNode = (a: NodeRef, b: NodeRef): boolean => a.host === b.host && a.role === b.role;

/**
 * Everything a rolling upgrade can do before the first node stops, none of it touching `current`: host
 * preparation (artifacts, JDK), then per node the new release unpacked, persistent data linked into it, its configs
 * uploaded into it and its inRelease setups run. The node's own plan minus its window (stop, other setup, switch,
 * start, gate).
 */
export function stageSteps(desired: readonly DesiredHost[], state: ReadonlyMap<HostName, HostState>, targets: readonly NodeRef[]): { host: Step[]; nodes: Step[] } {
  const host: Step[] = [];
  const nodes: Step[] = [];
  for (const d of desired) {
    const mine = d.nodes.filter((n) => targets.some((t) => sameNode(t, n.node)));
    const s = state.get(d.host.name);
    if (mine.length === 0 || !s) continue;
    const prepared = hostSteps(d, s);
    host.push(...prepared.steps);
    for (const n of mine) {
      const release = n.release;
      if (!release) continue;
      // Files outside the release (wso2.env, the unit) are read only at start, so they may change up front too. The
      // JDBC driver goes into the new release's lib with its configs: without it the new release never starts.
      const inRelease = (path: string): boolean => path.startsWith(`${release.dir}/`);
      // The setups that touch only the new release (the truststore import) too: the node's window shrinks by them.
      const fills = releaseFillMarkers(n);
      const before = nodeSteps(n, s, prepared.tail).steps.filter((step) => step.kind === 'extract-archive' || step.kind === 'upload-file' ||
        (step.kind === 'upload-artifact' && inRelease(step.path)) || (step.kind === 'run-once' && fills.has(step.marker)));
      nodes.push(...rechain(before, prepared.tail));
    }
  }
  return { host, nodes };
}

/** Steps picked out of a chain, chained again in order: the first waits for `after`, each next for the one before. */
export function rechain(steps: readonly Step[], after: readonly string[]): Step[] {
  return steps.map((s, i) => ({ ...s, after: i === 0 ? [...after] : [steps[i - 1]!.id] }));
}
