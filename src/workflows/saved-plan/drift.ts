import type { HostName } from '../../model/inventory.js';
import type { Plan } from '../../model/plan.js';
import { changedFacts } from '../../planner/facts-read.js';

/** Hosts whose facts differ from what the saved plan was computed from (or that one plan has and the other not). */
export function driftedHosts(saved: Plan, now: Plan): HostName[] {
  const hosts = new Set([...Object.keys(saved.factsFingerprint), ...Object.keys(now.factsFingerprint)]);
  return [...hosts].filter((h) => saved.factsFingerprint[h] !== now.factsFingerprint[h]).sort();
}

/** What changed on each drifted host, fact by fact (a plan saved before facts were recorded says only that they differ). */
export function driftDetails(saved: Plan, now: Plan, hosts: readonly HostName[]): string[] {
  return hosts.flatMap((h) => {
    const before = saved.factsRead?.[h];
    const after = now.factsRead?.[h];
    const lines = before && after ? changedFacts(h, before, after) : [];
    return lines.length > 0 ? lines : [`${h}: facts differ from the plan's`];
  });
}
