import type { HostName } from '../model/inventory.js';
import type { FileContent, Plan, Step } from '../model/plan.js';
import type { ContentSeal } from '../model/seal.js';
import type { DesiredHost } from './desired-state.js';

/** `${host}\0${path}` of every file that holds a secret, as the desired state says. */
export function secretFiles(desired: readonly DesiredHost[]): Set<string> {
  const out = new Set<string>();
  for (const d of desired) for (const n of d.nodes) for (const f of n.files) if (f.secret) out.add(`${d.host.name}\0${f.path}`);
  return out;
}

export interface SealedPlan {
  readonly plan: Plan;
  /** The contents, also under the sealed digests the plan's secret uploads now carry (for diffs of masked keys). */
  readonly contents: Map<string, FileContent>;
}

/**
 * The plan as it may leave the process (plan files, `plan --json`, printed plans): every sha256 of a secret-bearing
 * file, planned or read from a host, and every facts fingerprint (a digest over those sha256s) replaced by an HMAC
 * under the inventory's plan key. Everything else stays as planned, so `provision --plan` can seal the plan it makes
 * now the same way and compare the two field by field. Pure.
 */
export function sealPlan(plan: Plan, contents: ReadonlyMap<string, FileContent>, secret: ReadonlySet<string>, seal: ContentSeal): SealedPlan {
  const sealed = new Map(contents);
  const file = (sha: string): string => seal.digest('file', sha);
  const isSecret = (host: HostName, path: string) => secret.has(`${host}\0${path}`);
  const sealStep = (step: Step): Step => {
    if (step.kind !== 'upload-file' || !(step.secret || isSecret(step.host, step.path))) return step;
    for (const sha of [step.sha256, step.expectSha256]) {
      const content = sha === null ? undefined : contents.get(sha);
      if (sha !== null && content) sealed.set(file(sha), { ...content, sha256: file(sha) });
    }
    return { ...step, secret: true, sha256: file(step.sha256), expectSha256: step.expectSha256 === null ? null : file(step.expectSha256) };
  };
  const factsRead = plan.factsRead && Object.fromEntries(Object.entries(plan.factsRead).map(([host, facts]) => [host, Object.fromEntries(
    Object.entries(facts).map(([fact, value]) => {
      const path = fact.startsWith('file ') ? fact.slice(5) : undefined;
      const short = /^sha256 ([0-9a-f]+)$/.exec(value)?.[1];
      return [fact, path !== undefined && short !== undefined && isSecret(host, path) ? `hmac ${file(short).slice(5, 17)}` : value];
    }),
  )]));
  return {
    plan: {
      ...plan,
      sealedWith: seal.keyId,
      factsFingerprint: Object.fromEntries(Object.entries(plan.factsFingerprint).map(([h, fp]) => [h, seal.digest('facts', fp)])),
      ...(factsRead ? { factsRead } : {}),
      waves: plan.waves.map((w) => ({ ...w, steps: w.steps.map(sealStep) })),
    },
    contents: sealed,
  };
}
