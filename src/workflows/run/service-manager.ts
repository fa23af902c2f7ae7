import { initSystemArgv, parseInitSystem, parseScriptInstalled } from '../../facts/index.js';
import type { HostName, Inventory } from '../../model/inventory.js';
import { rolePaths } from '../../topology/layout.js';
import type { FirstAnswer } from '../../transport/open.js';
import type { Transport } from '../../transport/transport.js';

/**
 * The read each host with an unset service_manager answers (facts/init-system.ts), by host. openRun hands it to the
 * connections as their first command, so it costs no command of its own (it runs in the sudo that checks become).
 */
export function serviceManagerReads(inventory: Inventory): Map<HostName, string[]> {
  const reads = new Map<HostName, string[]>();
  for (const host of new Set(inventory.nodes.filter((n) => n.serviceManagerDefaulted).map((n) => n.host))) {
    const probes = inventory.nodes.filter((n) => n.host === host && n.serviceManagerDefaulted).map((n) => {
      const paths = rolePaths(n.vars.install_dir, n.role);
      return { role: n.role, home: paths.home, unitName: paths.unitName };
    });
    reads.set(host, initSystemArgv(probes));
  }
  return reads;
}

/**
 * `service_manager` unset in the inventory: systemd where systemd runs the host (facts/init-system.ts), else the
 * start script. Asks only the reachable hosts that have such a node, in parallel. A value written in the inventory
 * always wins, and a node the start script already runs (installed, no unit of ours) keeps the script: see
 * facts/init-system.ts for why; the operator moves it with `service_manager: systemd` once it is stopped.
 * `answered`: what hosts answered to serviceManagerReads when their connection opened; the others are asked now.
 * Returns the same inventory object when nothing changes.
 */
export async function withDetectedServiceManager(inventory: Inventory, transports: ReadonlyMap<HostName, Transport>,
  answered: ReadonlyMap<HostName, FirstAnswer> = new Map()): Promise<Inventory> {
  const reads = serviceManagerReads(inventory);
  const hosts = [...reads.keys()].filter((h) => transports.has(h));
  if (hosts.length === 0) return inventory;
  const systemd = new Set<HostName>();
  const scriptRuns = new Set<string>();
  await Promise.all(hosts.map(async (host) => {
    const result = answered.get(host) ?? await transports.get(host)!.exec({ argv: reads.get(host)! });
    if (result.exitCode !== 0 || parseInitSystem(result.stdout) !== 'systemd') return;
    systemd.add(host);
    for (const role of parseScriptInstalled(result.stdout)) scriptRuns.add(`${host}\0${role}`);
  }));
  if (systemd.size === 0) return inventory;
  const detected = (n: Inventory['nodes'][number]): boolean => n.serviceManagerDefaulted === true && systemd.has(n.host) && !scriptRuns.has(`${n.host}\0${n.role}`);
  const nodes = inventory.nodes.map((n) => (detected(n) ? { ...n, vars: { ...n.vars, service_manager: 'systemd' as const } } : n));
  return { ...inventory, nodes };
}
