import type { HostFacts } from '../facts/index.js';
import type { HostName, HostSpec } from '../model/inventory.js';
import type { DesiredHost } from './desired-state.js';
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

/** Where a fetch copies from: a step of the plan that puts the artifact there, or a host that holds it already (no step). */
interface CopySource { readonly host: HostName; readonly id: string | null }

function peerFetch(receiver: StepOf<'upload-artifact'>, source: CopySource, hosts: ReadonlyMap<HostName, HostSpec>): StepOf<'peer-fetch'> {
  const from = hosts.get(source.host)!;
  const own = hosts.get(receiver.host)!.address;
  const peer: PeerSource = { host: source.host, address: from.address, port: from.port ?? 22, ...(isIpLiteral(own) ? { receiverAddress: own } : {}) };
  return {
    kind: 'peer-fetch', id: `${receiver.host}/peer-fetch/${receiver.path}`, host: receiver.host, ...(receiver.node ? { node: receiver.node } : {}),
    reason: receiver.reason, certainty: receiver.certainty, after: receiver.after, ...(source.id ? { awaits: [source.id] } : {}),
    ...(receiver.lane ? { lane: receiver.lane } : {}),
    localPath: receiver.localPath, path: receiver.path, sha256: receiver.sha256, size: receiver.size,
    ...(receiver.mode ? { mode: receiver.mode } : {}), ...(receiver.absentWhenPlanned ? { absentWhenPlanned: true } : {}), from: peer,
  };
}

/** Hosts of the run that hold an artifact already (its sha256 at its path), by holderKey. */
export type ArtifactHolders = ReadonlyMap<string, readonly HostName[]>;

/** How peer copy groups an artifact: one datacenter (`''`: none), one sha256, one path. */
export const holderKey = (datacenter: string | undefined, sha256: string, path: string): string => JSON.stringify([datacenter ?? '', sha256, path]);

/** The hosts of a run that hold each host-level artifact already, as their facts say (the seeds of peer copy). */
export function artifactHolders(desired: readonly DesiredHost[], factsOf: (host: HostName) => HostFacts | undefined): ArtifactHolders {
  const holders = new Map<string, HostName[]>();
  for (const d of desired) {
    const facts = factsOf(d.host.name);
    for (const a of d.artifacts) {
      if (a.owner !== undefined || !facts || facts.files[a.path] !== a.artifact.sha256) continue;
      const key = holderKey(d.host.datacenter, a.artifact.sha256, a.path);
      (holders.get(key) ?? holders.set(key, []).get(key)!).push(d.host.name);
    }
  }
  return holders;
}

/**
 * Peer copy: in each wave, when two or more hosts of one datacenter get the same artifact (same sha256, same path),
 * the controller uploads it to one of them (the seed) and the others fetch it from the seed (steps/peer-fetch.ts),
 * so each distinct artifact crosses the controller's link once per datacenter. Hosts of different datacenters
 * never copy from each other. When hosts of the run in that datacenter hold it already (`holders`: a host added to
 * a running estate, a re-run after some hosts got it), they are the seeds and it does not cross the link at all.
 *
 * The seed is a holder, else the group's host that comes first in the wave; the others copy from a seed or from a
 * host that copied before them (at most PEER_COPY_FANOUT each). A fetch therefore only ever waits for a host before
 * its own (a holder it waits for nothing), and a source's copy, even behind fetches of its own, never waits (however
 * indirectly) for a host fetching from it: no wait cycle (executor/validate.ts checks it).
 */
export function withPeerCopies(waves: readonly Wave[], hosts: ReadonlyMap<HostName, HostSpec>, holders: ArtifactHolders = new Map()): Wave[] {
  const renamed = new Map<string, string>();
  const copied = waves.map((wave) => {
    const groups = new Map<string, StepOf<'upload-artifact'>[]>();
    for (const s of wave.steps) {
      if (!candidate(s, hosts)) continue;
      const key = holderKey(hosts.get(s.host)!.datacenter, s.sha256, s.path);
      (groups.get(key) ?? groups.set(key, []).get(key)!).push(s);
    }
    const replaced = new Map<string, Step>();
    for (const [key, members] of groups) {
      const held = (holders.get(key) ?? []).filter((h) => hosts.get(h)?.connection === 'ssh' && !members.some((m) => m.host === h));
      if (held.length === 0 && members.length < 2) continue;
      const copies: CopySource[] = held.length > 0 ? held.map((host) => ({ host, id: null })) : [{ host: members[0]!.host, id: members[0]!.id }];
      const fetchers = held.length > 0 ? members : members.slice(1);
      for (const [k, r] of fetchers.entries()) {
        const fetch = peerFetch(r, copies[Math.floor(k / PEER_COPY_FANOUT)]!, hosts);
        copies.push({ host: fetch.host, id: fetch.id });
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
