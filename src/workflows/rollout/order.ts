import type { Inventory } from '../../model/inventory.js';
import type { DesiredNode } from '../../planner/desired-state.js';
import { rollingBatches, type BatchSpec, type RollingBatch } from '../../planner/rolling.js';

/**
 * The rollout order of upgrade and provision --rolling: datacenter by datacenter, roles by dependency, batches
 * within a role. Batch sizes count every node of the role (`all`), not only those that change, so a batch never
 * takes the whole role out.
 */
export function rollingOrder(inventory: Inventory, targets: readonly DesiredNode[], all: readonly DesiredNode[], batch: BatchSpec): RollingBatch[] {
  const dc = (host: string) => inventory.hosts.find((h) => h.name === host)?.datacenter ?? null;
  return rollingBatches(targets.map((n) => ({ node: n.node, datacenter: dc(n.node.host), runtime: n.runtime })), {
    batch, datacenters: inventory.datacenters.map((d) => d.name),
    roleSize: (role, at) => all.filter((n) => n.node.role === role && dc(n.node.host) === at).length,
  });
}
