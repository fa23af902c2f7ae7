import type { ProbePaths } from '../facts/index.js';
import type { DesiredHost } from './desired-state.js';
import { userMarker } from './host-steps.js';
import { daemonReloadMarker, isSystemdUnit, pendingMarker, persistMarker } from './node-steps.js';
import { enableUnit } from './unit-enable.js';

/** Every path whose state the planner reads for one host, gathered by one batched probe. */
export function probePaths(desired: DesiredHost): ProbePaths {
  const files = new Set<string>();
  const links = new Set<string>();
  const pidFiles = new Set<string>();
  const markers = new Set<string>(desired.dirs);
  for (const a of desired.artifacts) files.add(a.path);
  for (const u of desired.serviceUsers) markers.add(userMarker(u.user));
  if (desired.jdk) {
    markers.add(desired.jdk.dir);
    links.add(desired.jdk.link);
  }
  for (const n of desired.nodes) {
    for (const f of n.files) files.add(f.path);
    for (const path of n.absent) files.add(path);
    for (const p of n.present) files.add(p.path);
    for (const l of n.libs) files.add(l.path);
    for (const unit of n.files.filter(isSystemdUnit)) markers.add(daemonReloadMarker(unit));
    if (n.runtime.systemdUnit) markers.add(enableUnit(n.runtime.systemdUnit).link);
    for (const s of n.setup) markers.add(s.marker);
    markers.add(pendingMarker(n.node.role, 'restart'));
    markers.add(pendingMarker(n.node.role, 'reload'));
    if (n.runtime.pidFile) pidFiles.add(n.runtime.pidFile);
    if (n.release) {
      markers.add(n.release.dir);
      markers.add(persistMarker(n.release.dir));
      links.add(n.release.link);
    }
  }
  return { files: [...files], links: [...links], pidFiles: [...pidFiles], markers: [...markers], diskPath: desired.installDir };
}
