import { rmSync } from 'node:fs';
import { uncapControllerLink } from './controller-cap.js';
import { deleteLinks, unblockSubnet, waitLinksGone } from './links.js';
import { withLabLock } from './lock.js';
import * as paths from './paths.js';
import { assertCanRunLab } from './preflight.js';
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
