import type { Step } from '../model/plan.js';
import type { DesiredNode } from './desired-state.js';
import type { HostState } from './inputs.js';
import { releaseFillMarkers } from './node-steps.js';
import { rechain } from './rolling-stage.js';

/**
 * The part of a node's steps that fills a release no process runs from yet (its `current` link points elsewhere or
 * nowhere): unpack it, link persistent data into it, upload its configs and libs into it, and run the setups that
 * touch only the release (role setup `inRelease`: the truststore import, the KM profile). None of that needs a
 * dependency up, so provision does it in the staging wave, all hosts at once, and a start wave only switches, starts
 * and waits. Unpacking a real pack takes seconds per host; in the start waves it stretched the boot chain by that
 * much per layer. Steps outside the release (wso2.env, the unit) stay in the node's own wave.
 */
export function splitEarly(node: DesiredNode, state: HostState, steps: readonly Step[], stageTail: readonly string[], deps: readonly string[]): { early: Step[]; rest: Step[] } {
  const release = node.release;
  if (!release || state.facts.links[release.link] === release.dir) return { early: [], rest: [...steps] };
  const inRelease = (path: string): boolean => path.startsWith(`${release.dir}/`);
  const fills = releaseFillMarkers(node);
  const isEarly = (s: Step): boolean =>
    (s.kind === 'extract-archive' && s.dest === release.dir) ||
    (s.kind === 'run-once' && fills.has(s.marker)) ||
    ((s.kind === 'upload-file' || s.kind === 'upload-artifact') && inRelease(s.path));
  const early = rechain(steps.filter(isEarly), stageTail);
  const rest = rechain(steps.filter((s) => !isEarly(s)), [...(early.length > 0 ? [early.at(-1)!.id] : stageTail), ...deps]);
  return { early, rest };
}
