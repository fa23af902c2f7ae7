import { UsageError } from '../../errors.js';
import { labUp } from './lab-up.js';
import { withLabLock } from './lock.js';
import * as paths from './paths.js';
import { assertCanRunLab } from './preflight.js';
import { upOptionsFromState } from './recorded-options.js';
import { readLabState, type LabState } from './state.js';
import { stopHosts } from './teardown.js';

export interface LabRebootOptions extends paths.LabLocation {
  /** Host names; default every host of the lab. */
  readonly hosts?: readonly string[];
}

/**
 * A power cut, then a boot: every process of each host ends at once (SIGKILL to its PID 1 takes the whole pid
 * namespace, sshd and every server with it), then the host boots again as `lab up` boots a host it replaces: disks
 * kept, /run and /tmp empty, sshd, and with `--init systemd` every enabled unit (src/lab/systemd/boot.ts).
 * Nothing else is done for the deployment on it: what comes back, comes back by itself.
 */
export async function labReboot(opts: LabRebootOptions): Promise<LabState> {
  assertCanRunLab();
  const state = readLabState(paths.statePath(opts));
  if (!state) throw new UsageError(`lab ${paths.labName(opts)} is not up`, 'run `apim-deploy lab up` first');
  const unknown = (opts.hosts ?? []).filter((h) => !state.hosts.some((s) => s.name === h));
  if (unknown.length > 0) throw new UsageError(`lab ${state.name} has no host ${unknown.join(', ')}`, `its hosts: ${state.hosts.map((h) => h.name).join(', ')}`);
  const chosen = opts.hosts && opts.hosts.length > 0 ? state.hosts.filter((h) => opts.hosts!.includes(h.name)) : state.hosts;
  await withLabLock(paths.lockPath(opts), () => stopHosts(chosen));
  // The bastion is planned by lab up itself; every other host keeps its recorded name and address.
  const hosts = state.hosts.filter((h) => !h.inner).map((h) => ({ name: h.name, address: h.address }));
  const location: paths.LabLocation = { ...(opts.name ? { name: opts.name } : {}), ...(opts.stateDir ? { stateDir: opts.stateDir } : {}), ...(opts.projectRoot ? { projectRoot: opts.projectRoot } : {}) };
  // Every option the lab was brought up with, the controller link's cap included.
  return labUp({ ...location, ...upOptionsFromState(state) }, hosts);
}
