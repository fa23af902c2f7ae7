import { posix } from 'node:path';
import type { ResolvedRuntime } from '../../catalog/runtime.js';
import type { NodeRef } from '../../model/inventory.js';
import type { NodeSwitch } from '../../planner/rolling-window.js';
import { releaseVersion, roleDirOf, type RoleReleases } from './releases.js';

/** WSO2 finishes in-flight requests on SIGTERM: give it a minute before SIGKILL. */
export const STOP_GRACE_MS = 60_000;

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

/** One node's release switch: stop what runs, move `current` (remembering `previous`), start, gate on health. */
export function makeSwitch(i: SwitchInput): NodeSwitch {
  const rt = i.startRuntime;
  const from = i.releases.current;
  return {
    node: i.node, link: i.link, previousLink: `${roleDirOf(i.link)}/previous`,
    from, to: i.to, fromVersion: releaseVersion(from), toVersion: releaseVersion(i.to) ?? posix.basename(i.to), previousBefore: i.releases.previous,
    stop: i.running ? { argv: i.stopRuntime.stop, env: i.stopRuntime.env, graceMs: STOP_GRACE_MS, ...(i.stopRuntime.pidFile ? { pidFile: i.stopRuntime.pidFile } : {}) } : null,
    setup: i.setup ?? [],
    start: { argv: rt.start, env: rt.env, ...(rt.pidFile ? { pidFile: rt.pidFile } : {}), ...(rt.startSecret ? { secretFile: rt.startSecret } : {}) },
    gate: { checks: rt.checks, policy: { ...rt.policy, ...(i.healthTimeoutMs ? { timeoutMs: i.healthTimeoutMs } : {}) }, logFile: rt.logFile },
  };
}
