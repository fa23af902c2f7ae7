import type { RoleCatalog } from '../../catalog/roles.js';
import { resolveNodeRuntime, type ResolvedRuntime } from '../../catalog/runtime.js';
import type { Inventory, NodeRef } from '../../model/inventory.js';
import { nodeKey } from '../../planner/build-plan.js';
import type { RenderedNode } from '../../render/render-inventory.js';
import { buildNodeContext } from '../../topology/context.js';

/**
 * Each node's runtime (start, stop, checks, PID file) as another APIM version runs it: what stopping the release a
 * node leaves takes. Resolved once per version and node, without rendering any file.
 */
export function runtimesAt(inventory: Inventory, catalog: RoleCatalog, rendered: readonly RenderedNode[]): (version: string, node: NodeRef) => ResolvedRuntime | undefined {
  const current = new Map(rendered.map((r) => [nodeKey(r.node), r.runtime]));
  const resolved = new Map<string, ResolvedRuntime>();
  return (version, node) => {
    const key = nodeKey(node);
    if (version === inventory.apim.version || !current.has(key)) return current.get(key);
    const at = `${version} ${key}`;
    if (!resolved.has(at)) {
      const context = buildNodeContext({ ...inventory, apim: { ...inventory.apim, version } }, catalog, node);
      resolved.set(at, resolveNodeRuntime(catalog[node.role], context));
    }
    return resolved.get(at);
  };
}
