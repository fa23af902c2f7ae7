import { rmSync } from 'node:fs';
import { uncapControllerLink } from './controller-cap.js';
import { bridgeOwner, deleteLinks, unblockSubnet, waitLinksGone } from './links.js';
import { withLabLock } from './lock.js';
import * as paths from './paths.js';
import { assertCanRunLab } from './preflight.js';
import { bridgeName, innerBridgeName } from './names.js';
import { readLabState } from './state.js';
import { removeTree, stopHosts } from './teardown.js';
import { RemoteError } from '../../errors.js';

export interface LabDownResult {
  /** Hosts that were recorded (running or left behind by a crash). */
  readonly hosts: readonly string[];
  readonly bridge: string | null;
}

/**
 * Removes everything the lab created, found through its state file: processes (by recorded PID and start time),
 * veths, the bridge, mounts and files under the state directory. Nothing it did not record is touched.
 */
export async function labDown(opts: paths.LabLocation = {}): Promise<LabDownResult> {
  assertCanRunLab();
  return withLabLock(paths.lockPath(opts), async () => {
    const state = readLabState(paths.statePath(opts));
    if (state) {
      await stopHosts(state.hosts);
      if (state.controllerMbit) await uncapControllerLink(state.bridge);
      const bridges = [state.bridge, ...(state.bastion ? [state.bastion.innerBridge] : [])];
      await deleteLinks(bridges);
      const left = await waitLinksGone(bridges);
      if (left.length > 0) throw new RemoteError('controller', `bridge ${left.join(', ')} is still present`, '', 'retry `lab down`');
      if (state.bastion) await unblockSubnet(state.subnet);
    }
    // Host directories are ours whether or not the state still lists them (a crash between mkdir and record).
    await removeTree(paths.hostsRoot(opts));
    for (const file of [paths.knownHostsPath(opts), paths.hostsYamlPath(opts), paths.sshConfigPath(opts), paths.clientKeyPath(opts),
      paths.secretsPath(opts),
      `${paths.clientKeyPath(opts)}.pub`]) rmSync(file, { force: true });
    // The state file goes last: until here it is what lets a retried `lab down` find what is left.
    rmSync(paths.statePath(opts), { force: true });
    return { hosts: state?.hosts.map((h) => h.name) ?? [], bridge: state?.bridge ?? null };
  });
}

/**
 * Takes down a lab of the same name whose bridges another state directory's lab made: what a run killed in another
 * clone on this machine leaves behind (CI and a developer's run share the machine). That lab's own state, while it
 * exists, tears it down; bridges whose state is gone are deleted by name. Returns the state directory it cleared.
 * Interfaces no apim-deploy lab made are never touched.
 */
export async function labDownLeftover(loc: paths.LabLocation, leftoverSubnet?: string): Promise<string | undefined> {
  const name = paths.labName(loc);
  const mine = paths.stateDir(loc);
  const bridges = [bridgeName(name), innerBridgeName(name)];
  const owners = await Promise.all(bridges.map((b) => bridgeOwner(b)));
  const owner = owners.find((o) => o !== undefined && o !== mine);
  if (owner === undefined) return undefined;
  await labDown({ stateDir: owner });
  await deleteLinks(bridges.filter((_, i) => owners[i] === owner));
  if (leftoverSubnet) await unblockSubnet(leftoverSubnet);
  return owner;
}
