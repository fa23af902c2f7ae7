import type { HostName, HostSpec } from '../model/inventory.js';
import type { PeerSource, Step, StepOf, Wave } from '../model/plan.js';

/**
 * Below this a controller upload costs less than setting up a peer copy (a key made on the receiver, an
 * authorization on the seed, a second SSH login): the copy pays off on distributions and JDKs, not on drivers.
 */
export const PEER_COPY_MIN_BYTES = 8 * 1024 * 1024;
/**
 * Copies one host serves at once. The copies form a tree: the seed serves the first hosts, each of which serves more,
 * so no host's sshd sees more simultaneous logins than this (OpenSSH's default MaxStartups starts dropping at 10).
 */
export const PEER_COPY_FANOUT = 4;

const isIpLiteral = (address: string): boolean => /^\d{1,3}(\.\d{1,3}){3}$/.test(address) || /^[0-9a-fA-F:]+$/.test(address) && address.includes(':');

/** Host-level artifacts (the artifacts directory, root's) only: a release's libs belong to the service user and are small. */
function candidate(s: Step, hosts: ReadonlyMap<HostName, HostSpec>): s is StepOf<'upload-artifact'> {
  return s.kind === 'upload-artifact' && s.owner === undefined && s.size >= PEER_COPY_MIN_BYTES && hosts.get(s.host)?.connection === 'ssh';
}

function peerFetch(receiver: StepOf<'upload-artifact'>, source: Step, hosts: ReadonlyMap<HostName, HostSpec>): StepOf<'peer-fetch'> {
  const from = hosts.get(source.host)!;
  const own = hosts.get(receiver.host)!.address;
  const peer: PeerSource = { host: source.host, address: from.address, port: from.port ?? 22, ...(isIpLiteral(own) ? { receiverAddress: own } : {}) };
  return {
    kind: 'peer-fetch', id: `${receiver.host}/peer-fetch/${receiver.path}`, host: receiver.host, ...(receiver.node ? { node: receiver.node } : {}),
    reason: receiver.reason, certainty: receiver.certainty, after: receiver.after, awaits: [source.id],
    localPath: receiver.localPath, path: receiver.path, sha256: receiver.sha256, size: receiver.size,
    ...(receiver.mode ? { mode: receiver.mode } : {}), from: peer,
  };
}

/**
 * Peer copy: in each wave, when two or more hosts of one datacenter get the same artifact (same sha256, same path),
 * the controller uploads it to one of them (the seed) and the others fetch it from the seed (steps/peer-fetch.ts),
 * so each distinct artifact crosses the controller's link once per datacenter. Hosts of different datacenters
 * never copy from each other.
 *
 * The seed is the group's host that comes first in the wave; the others copy from the seed or from a host that
 * copied before them (at most PEER_COPY_FANOUT each). A fetch therefore only ever waits for a host before its own,
 * and a source's copy, even behind fetches of its own, never waits (however indirectly) for a host fetching from it:
 * no wait cycle (executor/validate.ts checks it).
 */
export function withPeerCopies(waves: readonly Wave[], hosts: ReadonlyMap<HostName, HostSpec>): Wave[] {
  const renamed = new Map<string, string>();
  const copied = waves.map((wave) => {
    const groups = new Map<string, StepOf<'upload-artifact'>[]>();
    for (const s of wave.steps) {
      if (!candidate(s, hosts)) continue;
      const key = JSON.stringify([hosts.get(s.host)!.datacenter ?? '', s.sha256, s.path]);
      (groups.get(key) ?? groups.set(key, []).get(key)!).push(s);
    }
    const replaced = new Map<string, Step>();
    for (const members of groups.values()) {
      const copies: Step[] = [members[0]!];
      for (const [j, r] of members.entries()) {
        if (j === 0) continue;
        const fetch = peerFetch(r, copies[Math.floor((j - 1) / PEER_COPY_FANOUT)]!, hosts);
        copies.push(fetch);
        replaced.set(r.id, fetch);
        renamed.set(r.id, fetch.id);
      }
    }
    return replaced.size === 0 ? wave : { ...wave, steps: wave.steps.map((s) => replaced.get(s.id) ?? s) };
  });
  if (renamed.size === 0) return copied;
  const rewire = (s: Step): Step => (s.after.some((id) => renamed.has(id)) ? { ...s, after: s.after.map((id) => renamed.get(id) ?? id) } : s);
  return copied.map((w) => ({ ...w, steps: w.steps.map(rewire) }));
}
