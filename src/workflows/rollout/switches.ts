import { posix } from 'node:path';
import type { ResolvedRuntime } from '../../catalog/runtime.js';
import type { HostName, NodeRef } from '../../model/inventory.js';
import type { DesiredNode } from '../../planner/desired-state.js';
import type { HostState } from '../../planner/inputs.js';
import type { NodeSwitch } from '../../planner/rolling-window.js';
import type { Transport } from '../../transport/transport.js';
import { readReleases, releaseVersion, roleDirOf, type RoleReleases } from './releases.js';

/** WSO2 finishes in-flight requests on SIGTERM: give it a minute before SIGKILL. */
const STOP_GRACE_MS = 60_000;

export interface SwitchInput {
  readonly node: NodeRef;
  /** The `current` link. */
  readonly link: string;
  readonly releases: RoleReleases;
  readonly to: string;
  /** What runs now (its own stop), and what the target runs (start, checks). */
  readonly stopRuntime: ResolvedRuntime;
  readonly startRuntime: ResolvedRuntime;
  readonly running: boolean;
  readonly setup?: NodeSwitch['setup'];
  readonly healthTimeoutMs?: number;
}

export function makeSwitch(i: SwitchInput): NodeSwitch {
  const rt = i.startRuntime;
  const from = i.releases.current;
  return {
    node: i.node, link: i.link, previousLink: `${roleDirOf(i.link)}/previous`,
    from, to: i.to, fromVersion: releaseVersion(from), toVersion: releaseVersion(i.to) ?? posix.basename(i.to), previousBefore: i.releases.previous,
    stop: i.running ? { argv: i.stopRuntime.stop, env: i.stopRuntime.env, graceMs: STOP_GRACE_MS, ...(i.stopRuntime.pidFile ? { pidFile: i.stopRuntime.pidFile } : {}) } : null,
    setup: i.setup ?? [],
    start: { argv: rt.start, env: rt.env, ...(rt.pidFile ? { pidFile: rt.pidFile } : {}) },
    gate: { checks: rt.checks, policy: { ...rt.policy, ...(i.healthTimeoutMs ? { timeoutMs: i.healthTimeoutMs } : {}) }, logFile: rt.logFile },
  };
}

/** Whether the node's process is up, from the batched host probe (PID file alive). */
export function isAlive(runtime: ResolvedRuntime, state: HostState | undefined): boolean {
  return runtime.pidFile ? state?.facts.pids[runtime.pidFile]?.state === 'alive' : false;
}

/** Release facts for every WSO2 node given, one command per host, all hosts at once. Keyed by `current` link. */
export async function readNodeReleases(transports: ReadonlyMap<HostName, Transport>, nodes: readonly { node: NodeRef; link: string }[]): Promise<Map<string, RoleReleases>> {
  const byHost = new Map<HostName, string[]>();
  for (const n of nodes) (byHost.get(n.node.host) ?? byHost.set(n.node.host, []).get(n.node.host)!).push(roleDirOf(n.link));
  const out = new Map<string, RoleReleases>();
  await Promise.all([...byHost].map(async ([host, dirs]) => {
    const found = await readReleases(transports.get(host)!, dirs);
    for (const [dir, r] of found) out.set(`${host}:${dir}/current`, r);
  }));
  return out;
}

export const releasesKey = (node: NodeRef, link: string): string => `${node.host}:${link}`;

/** The upgrade's switch for a node whose `current` is not the desired release yet. */
export function upgradeSwitch(n: DesiredNode, state: HostState | undefined, releases: RoleReleases, oldRuntime: ResolvedRuntime | undefined, healthTimeoutMs?: number): NodeSwitch {
  const release = n.release!;
  const setup = n.setup.filter((s) => !s.whileRunning && !state?.facts.markers[s.marker]).map((s) => ({ name: s.name, argv: s.argv, marker: s.marker }));
  const stopRuntime = oldRuntime ?? n.runtime;
  return makeSwitch({ node: n.node, link: release.link, releases, to: release.dir, stopRuntime, startRuntime: n.runtime,
    running: isAlive(stopRuntime, state), setup, ...(healthTimeoutMs ? { healthTimeoutMs } : {}) });
}
