import type { HostName } from '../../model/inventory.js';
import type { DesiredHost } from '../../planner/desired-state.js';
import type { HostState } from '../../planner/inputs.js';

/** Architectures the JDK tarballs and WSO2 packs are built for. */
const SUPPORTED_ARCH = new Set(['x86_64', 'amd64', 'aarch64', 'arm64']);
/** Unpacked size as a multiple of the archive, plus head room for logs. */
const DISK_FACTOR = 3;

/**
 * Problems that must stop the run before the first change, per host: OS, architecture, free disk for what
 * will be uploaded and unpacked, and ports taken by something that is not our own running component.
 */
export function preflightProblems(desired: readonly DesiredHost[], state: ReadonlyMap<HostName, HostState>): string[] {
  const problems: string[] = [];
  for (const d of desired) {
    const s = state.get(d.host.name);
    if (!s) continue;
    const { facts } = s;
    const at = (msg: string) => problems.push(`${d.host.name}: ${msg}`);
    if (facts.os === null) at('cannot read /etc/os-release: is this a Linux host?');
    if (facts.arch && !SUPPORTED_ARCH.has(facts.arch)) at(`architecture ${facts.arch} is not supported (x86_64 or aarch64)`);
    const toUpload = d.artifacts.filter((a) => facts.files[a.path] !== a.artifact.sha256).reduce((n, a) => n + a.artifact.size, 0);
    const need = toUpload * DISK_FACTOR;
    if (facts.disk && need > 0 && facts.disk.freeBytes < need) {
      at(`needs ${mb(need)} free under ${d.installDir} for distributions, has ${mb(facts.disk.freeBytes)}`);
    }
    for (const n of d.nodes) {
      const ours = n.kind === 'service' ? s.serviceRunning[n.node.role] === true : n.runtime.pidFile ? facts.pids[n.runtime.pidFile]?.state === 'alive' : false;
      if (ours) continue;
      const taken = n.runtime.ports.filter((p) => facts.listening.some((l) => l.port === p));
      if (taken.length > 0) at(`${n.node.role}: port(s) ${taken.join(', ')} already in use by another process (ours is not running)`);
    }
  }
  return problems;
}

const mb = (bytes: number): string => `${Math.ceil(bytes / 1024 / 1024)} MB`;
