/**
 * What a rollout that stopped half way leaves, as status shows it, with the command that repairs it: a node a
 * balancer holds out, a node not running its `current` release, a node on another version than the rest of its role.
 * Pure: the balancer's answer and the node verdicts come in.
 */
import type { HeldOut } from '../rollout/balancer.js';
import type { NodeStatus } from './node-status.js';

export interface Leftovers {
  /** `lb-1: apim_gateway_http/10.0.0.5:8280 maint`, per balancer holding the node out. */
  readonly heldOut: readonly string[];
  /** Installed, but its `current` release is not running: a switch may have stopped between stop and start. */
  readonly halfSwitched: boolean;
  /** Its version differs from the one most of its role's nodes run. */
  readonly apartFromPeers: boolean;
  /** The command that finishes or reverts it; null when nothing is left over. */
  readonly repair: string | null;
}

const key = (n: { host: string; role: string }): string => `${n.host}/${n.role}`;

/** The version most nodes of each role run (ties: the inventory's, else the highest). */
function roleVersions(nodes: readonly NodeStatus[], apimVersion: string): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const n of nodes) {
    if (n.kind !== 'wso2' || n.version === null) continue;
    const c = counts.get(n.role) ?? counts.set(n.role, new Map()).get(n.role)!;
    c.set(n.version, (c.get(n.version) ?? 0) + 1);
  }
  return new Map([...counts].map(([role, c]) => {
    const best = Math.max(...c.values());
    const top = [...c].filter(([, n]) => n === best).map(([v]) => v);
    return [role, top.includes(apimVersion) ? apimVersion : top.sort().at(-1)!];
  }));
}

export function leftoversOf(nodes: readonly NodeStatus[], held: readonly HeldOut[], apimVersion: string, inventoryArg: string): Map<string, Leftovers> {
  const majority = roleVersions(nodes, apimVersion);
  const out = new Map<string, Leftovers>();
  for (const n of nodes) {
    const heldOut = held.filter((h) => key(h.node) === key(n)).map((h) => `${h.balancer}: ${h.servers.join(', ')}`);
    const halfSwitched = n.kind === 'wso2' && n.unreachable === null && n.release !== null && n.process.state !== 'running';
    const apartFromPeers = n.kind === 'wso2' && n.version !== null && majority.get(n.role) !== n.version;
    const repair = heldOut.length > 0 || halfSwitched
      ? `apim-deploy upgrade -i ${inventoryArg} --limit ${n.host}   (finishes or reverts what a stopped run left on ${n.host}, then puts it back once the balancer routes to it)`
      : apartFromPeers || (n.kind === 'wso2' && n.versionDiffers && n.version !== null)
        ? `apim-deploy upgrade -i ${inventoryArg}   (every node to ${apimVersion}), or apim-deploy rollback -i ${inventoryArg}`
        : null;
    out.set(key(n), { heldOut, halfSwitched, apartFromPeers, repair });
  }
  return out;
}

