import { initSystemArgv, parseInitSystem } from '../../facts/index.js';
import type { HostName, Inventory } from '../../model/inventory.js';
import type { Transport } from '../../transport/transport.js';

/**
 * `service_manager` unset in the inventory: systemd where systemd runs the host (facts/init-system.ts), else the
 * start script. Asks only the reachable hosts that have such a node, in parallel; a value written in the inventory
 * always wins. Returns the same inventory object when nothing changes.
 */
export async function withDetectedServiceManager(inventory: Inventory, transports: ReadonlyMap<HostName, Transport>): Promise<Inventory> {
  const hosts = [...new Set(inventory.nodes.filter((n) => n.serviceManagerDefaulted && transports.has(n.host)).map((n) => n.host))];
  if (hosts.length === 0) return inventory;
  const systemd = new Set<HostName>();
  await Promise.all(hosts.map(async (host) => {
    const result = await transports.get(host)!.exec({ argv: initSystemArgv() });
    if (result.exitCode === 0 && parseInitSystem(result.stdout) === 'systemd') systemd.add(host);
  }));
  if (systemd.size === 0) return inventory;
  const nodes = inventory.nodes.map((n) => (n.serviceManagerDefaulted && systemd.has(n.host) ? { ...n, vars: { ...n.vars, service_manager: 'systemd' as const } } : n));
  return { ...inventory, nodes };
}
