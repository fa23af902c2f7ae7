import type { HostName } from '../../model/inventory.js';
import type { FileContent, Plan } from '../../model/plan.js';
import { changedFacts } from '../../planner/facts-read.js';
import type { LocalArtifact } from '../../planner/inputs.js';

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

/**
 * Uploads of the saved plan whose bytes the inventory no longer renders (or whose distribution changed on the
 * controller): their content cannot be reproduced, so the plan must not run.
 */
export function staleUploads(saved: Plan, contents: ReadonlyMap<string, FileContent>, artifacts: Readonly<Partial<Record<string, LocalArtifact>>>): string[] {
  const local = new Map(Object.values(artifacts).flatMap((a) => (a ? [[a.localPath, a.sha256] as const] : [])));
  const stale: string[] = [];
  for (const step of saved.waves.flatMap((w) => w.steps)) {
    if (step.kind === 'upload-file' && !contents.has(step.sha256)) stale.push(`${step.host}: ${step.path}`);
    if (step.kind === 'upload-artifact' && local.get(step.localPath) !== step.sha256) stale.push(`${step.host}: ${step.path} (from ${step.localPath})`);
  }
  return stale;
}
