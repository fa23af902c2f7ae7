import { UsageError } from '../../errors.js';
import { readBounded, utf8Text } from '../../files/bounded-read.js';
import { writeFileNoFollow } from '../../files/write-no-follow.js';
import { PLAN_DOCUMENT_KIND, PLAN_FORMAT, type Plan } from '../../model/plan.js';
import type { DryRunResult } from '../plan.js';

/**
 * A plan saved with `--out` for `provision --plan FILE`: the sealed plan (steps, reasons, sha256s, HMACs for
 * secret-bearing files and facts fingerprints: src/planner/seal-plan.ts), never file contents, so it holds no secret
 * and no hash to test a password against. Written 0600 all the same: it maps the estate.
 */
export interface SavedPlan {
  readonly format: typeof PLAN_FORMAT;
  readonly kind: typeof PLAN_DOCUMENT_KIND;
  readonly limit: string | null;
  readonly plan: Plan;
}

/** A plan of a large estate is a few MiB; more is not a plan file. */
export const MAX_PLAN_BYTES = 32 * 1024 * 1024;
const HINT = 'pass a file written by `apim-deploy plan -i INV --out FILE`';

export function savedPlan(result: Pick<DryRunResult, 'plan' | 'limit'>): SavedPlan {
  return { format: PLAN_FORMAT, kind: PLAN_DOCUMENT_KIND, limit: result.limit, plan: result.plan };
}

export function writeSavedPlan(path: string, result: Pick<DryRunResult, 'plan' | 'limit'>): void {
  try {
    writeFileNoFollow(path, `${JSON.stringify(savedPlan(result), null, 2)}\n`, 0o600);
  } catch (err) {
    throw new UsageError(`--out ${(err as Error).message}`, 'pass a new file name');
  }
}

/** Reads a plan file (`--out` or `--json` output), checked for what it is first; refuses plans of another format. */
export function readSavedPlan(path: string): SavedPlan {
  const read = readBounded(path, MAX_PLAN_BYTES);
  if (!read.ok) throw new UsageError(`--plan ${path} ${read.message}`, HINT);
  let doc: Partial<SavedPlan> & { plan?: Partial<Plan> };
  try {
    const text = utf8Text(read.bytes);
    if (text === undefined) throw new Error('not UTF-8 text');
    doc = JSON.parse(text) as typeof doc;
  } catch (err) {
    throw new UsageError(`--plan ${path}: cannot read it as JSON (${err instanceof Error ? err.message.slice(0, 200) : String(err)})`, HINT);
  }
  if (doc?.kind !== PLAN_DOCUMENT_KIND || typeof doc.plan !== 'object' || doc.plan === null) {
    throw new UsageError(`--plan ${path}: not an apim-deploy plan`, HINT);
  }
  if (doc.format !== PLAN_FORMAT || doc.plan.format !== PLAN_FORMAT) {
    throw new UsageError(`--plan ${path}: plan format ${String(doc.format)}, this apim-deploy reads format ${PLAN_FORMAT}`,
      'make the plan again with this version: apim-deploy plan -i INV --out FILE');
  }
  return { format: PLAN_FORMAT, kind: PLAN_DOCUMENT_KIND, limit: typeof doc.limit === 'string' ? doc.limit : null, plan: doc.plan as Plan };
}
