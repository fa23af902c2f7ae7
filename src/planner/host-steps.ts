import type { Step } from '../model/plan.js';
import { STATE_DIR } from '../topology/layout.js';
import { absentWhenPlanned } from './absent-when-planned.js';
import type { DesiredHost } from './desired-state.js';
import type { HostState } from './inputs.js';
import { StepChain } from './step-builder.js';

/** Creates the service group and user when missing (the run-once marker keeps re-runs free). */
const USER_SCRIPT = [
  'set -eu',
  'user=$1 group=$2 home=$3',
  'getent group "$group" >/dev/null || groupadd --system "$group"',
  'id -u "$user" >/dev/null 2>&1 || useradd --system --gid "$group" --home-dir "$home" --no-create-home --shell /usr/sbin/nologin "$user"',
].join('\n');

export const userMarker = (user: string): string => `${STATE_DIR}/users/${user}`;

/**
 * A host's shared preparation, before any node on it: directories, service users, artifacts (each
 * uploaded only when its sha256 differs), the JDK release and its `current` link. The artifacts go in the transfer
 * lane: the JDK unpacks as soon as its own archive is there, while the product's is still on its way. The tail (what
 * a node's steps wait for) holds every copy, so a node's release unpacks only when all of them ended well.
 */
export function hostSteps(desired: DesiredHost, state: HostState): { steps: Step[]; tail: readonly string[] } {
  const chain = new StepChain(desired.host.name, undefined);
  const { facts } = state;
  // All in one install -d: one sudo for a fresh host's directories, where one each cost a round trip and a sudo.
  const missing = desired.dirs.filter((dir) => !facts.markers[dir]);
  if (missing.length > 0) chain.add({ kind: 'ensure-dir', key: 'directories', paths: missing, mode: '0755', owner: 'root:root', reason: 'missing' });
  for (const { user, group } of desired.serviceUsers) {
    const marker = userMarker(user);
    if (facts.markers[marker]) continue;
    chain.add({
      kind: 'run-once', key: `user-${user}`, name: `service user ${user}:${group}`, marker, reason: 'service user not set up',
      argv: ['sh', '-c', USER_SCRIPT, 'service-user', user, group, desired.installDir],
    });
  }
  const copies = new Map<string, string>();
  for (const { artifact, path } of desired.artifacts) {
    const remote = facts.files[path];
    if (remote === artifact.sha256) continue;
    copies.set(path, chain.addBeside({
      kind: 'upload-artifact', key: path, localPath: artifact.localPath, path, sha256: artifact.sha256, size: artifact.size,
      mode: '0644', reason: remote ? `sha256 differs (${remote.slice(0, 8)} on host)` : 'not on host', ...absentWhenPlanned(facts, path),
    }, 'transfer'));
  }
  const jdk = desired.jdk;
  if (jdk) {
    if (!facts.markers[jdk.dir]) {
      const copy = copies.get(jdk.archive);
      chain.add({ kind: 'extract-archive', key: jdk.dir, archive: jdk.archive, dest: jdk.dir, format: jdk.format, owner: 'root:root', reason: `JDK ${jdk.id} not unpacked` },
        'certain', copy ? [copy] : []);
    }
    if (facts.links[jdk.link] !== jdk.dir) {
      chain.add({ kind: 'link', key: jdk.link, path: jdk.link, target: jdk.dir, reason: facts.links[jdk.link] ? `points at ${facts.links[jdk.link]}` : 'missing' });
    }
  }
  return { steps: chain.steps, tail: [...chain.tail, ...copies.values()] };
}
