/**
 * What a rollout that stopped half way leaves, as status shows it, with the command that repairs it: a node a
 * balancer holds out, a node not running its `current` release, a node on another version than the rest of its role.
 * Pure: the balancer's answer and the node verdicts come in.
 */
import { nodeKey } from '../../model/inventory.js';
import type { HeldOut } from '../rollout/balancer.js';
import type { NodeStatus } from './node-status.js';

export interface Leftovers {
  /** `lb-1: apim_gateway_http/10.0.0.5:8280 maint`, per balancer holding the node out. */
  readonly heldOut: readonly string[];
  /** Installed, but its `current` release is not running: a switch may have stopped between stop and start. */
  readonly halfSwitched: boolean;
  /** Its release differs from the one most of its role's nodes run (another version, or another pack of it). */
  readonly apartFromPeers: boolean;
  /** Set when it runs the peers' version from another pack: an update level (WSO2 Updates) the others do not run. */
  readonly sameVersionOtherPack?: true;
  /** The command that finishes or reverts it; null when nothing is left over. */
  readonly repair: string | null;
}

/**
 * The release most nodes of each role run, by release dir (`4.6.0-1a2b3c4d`: version and pack), so that update levels
 * of one version count apart. Ties: a release of the inventory's version, else the highest.
 */
function roleReleases(nodes: readonly NodeStatus[], apimVersion: string): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const n of nodes) {
    if (n.kind !== 'wso2' || n.release === null || n.version === null) continue;
    const c = counts.get(n.role) ?? counts.set(n.role, new Map()).get(n.role)!;
    c.set(n.release, (c.get(n.release) ?? 0) + 1);
  }
  return new Map([...counts].map(([role, c]) => {
    const best = Math.max(...c.values());
    const top = [...c].filter(([, n]) => n === best).map(([r]) => r).sort();
    return [role, top.find((r) => r.startsWith(`${apimVersion}-`)) ?? top.at(-1)!];
  }));
}

export function leftoversOf(nodes: readonly NodeStatus[], held: readonly HeldOut[], apimVersion: string, inventoryArg: string): Map<string, Leftovers> {
  const majority = roleReleases(nodes, apimVersion);
  const out = new Map<string, Leftovers>();
  for (const n of nodes) {
    const heldOut = held.filter((h) => nodeKey(h.node) === nodeKey(n)).map((h) => `${h.balancer}: ${h.servers.join(', ')}`);
    const halfSwitched = n.kind === 'wso2' && n.unreachable === null && n.release !== null && n.process.state !== 'running';
    const peers = majority.get(n.role);
    const apartFromPeers = n.kind === 'wso2' && n.version !== null && n.release !== null && peers !== n.release;
    const sameVersionOtherPack = apartFromPeers && peers !== undefined && peers.startsWith(`${n.version}-`);
    const repair = heldOut.length > 0 || halfSwitched
      ? `apim-deploy upgrade -i ${inventoryArg} --limit ${n.host}   (finishes or reverts what a stopped run left on ${n.host}, then puts it back once the balancer routes to it)`
      : apartFromPeers || (n.kind === 'wso2' && n.versionDiffers && n.version !== null)
        ? `apim-deploy upgrade -i ${inventoryArg}   (every node to ${apimVersion}), or apim-deploy rollback -i ${inventoryArg}`
        : null;
    out.set(nodeKey(n), { heldOut, halfSwitched, apartFromPeers, ...(sameVersionOtherPack ? { sameVersionOtherPack: true as const } : {}), repair });
  }
  return out;
}

