import { initSystemArgv, parseInitSystem, parseScriptInstalled } from '../../facts/index.js';
import type { HostName, Inventory } from '../../model/inventory.js';
import { rolePaths } from '../../topology/layout.js';
import type { Transport } from '../../transport/transport.js';

/**
 * `service_manager` unset in the inventory: systemd where systemd runs the host (facts/init-system.ts), else the
 * start script. Asks only the reachable hosts that have such a node, in parallel. A value written in the inventory
 * always wins, and a node the start script already runs (installed, no unit of ours) keeps the script: see
 * facts/init-system.ts for why; the operator moves it with `service_manager: systemd` once it is stopped.
 * Returns the same inventory object when nothing changes.
 */
export async function withDetectedServiceManager(inventory: Inventory, transports: ReadonlyMap<HostName, Transport>): Promise<Inventory> {
  const hosts = [...new Set(inventory.nodes.filter((n) => n.serviceManagerDefaulted && transports.has(n.host)).map((n) => n.host))];
  if (hosts.length === 0) return inventory;
  const systemd = new Set<HostName>();
  const scriptRuns = new Set<string>();
  await Promise.all(hosts.map(async (host) => {
    const probes = inventory.nodes.filter((n) => n.host === host && n.serviceManagerDefaulted).map((n) => {
      const paths = rolePaths(n.vars.install_dir, n.role);
      return { role: n.role, home: paths.home, unitName: paths.unitName };
    });
    const result = await transports.get(host)!.exec({ argv: initSystemArgv(probes) });
    if (result.exitCode !== 0 || parseInitSystem(result.stdout) !== 'systemd') return;
    systemd.add(host);
    for (const role of parseScriptInstalled(result.stdout)) scriptRuns.add(`${host}\0${role}`);
  }));
  if (systemd.size === 0) return inventory;
  const detected = (n: Inventory['nodes'][number]): boolean => n.serviceManagerDefaulted === true && systemd.has(n.host) && !scriptRuns.has(`${n.host}\0${n.role}`);
  const nodes = inventory.nodes.map((n) => (detected(n) ? { ...n, vars: { ...n.vars, service_manager: 'systemd' as const } } : n));
  return { ...inventory, nodes };
}
