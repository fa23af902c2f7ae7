import { readFileSync, writeFileSync } from 'node:fs';
import { UsageError } from '../../errors.js';
import { PLAN_DOCUMENT_KIND, PLAN_FORMAT, type Plan } from '../../model/plan.js';
import type { DryRunResult } from '../plan.js';

/**
 * A plan saved with `--out` for `provision --plan FILE`: the plan itself (steps, reasons, sha256s and the facts
 * fingerprint per host), never file contents, so it holds no secret. Upload contents are re-rendered at apply
 * time and must hash to the same sha256s.
 */
export interface SavedPlan {
  readonly format: typeof PLAN_FORMAT;
  readonly kind: typeof PLAN_DOCUMENT_KIND;
  readonly limit: string | null;
  readonly plan: Plan;
}

export function savedPlan(result: Pick<DryRunResult, 'plan' | 'limit'>): SavedPlan {
  return { format: PLAN_FORMAT, kind: PLAN_DOCUMENT_KIND, limit: result.limit, plan: result.plan };
}

export function writeSavedPlan(path: string, result: Pick<DryRunResult, 'plan' | 'limit'>): void {
  writeFileSync(path, `${JSON.stringify(savedPlan(result), null, 2)}\n`, { mode: 0o644 });
}

/** Reads a plan file (`--out` or `--json` output); refuses anything else, and plans of another format version. */
export function readSavedPlan(path: string): SavedPlan {
  let doc: Partial<SavedPlan> & { plan?: Partial<Plan> };
  try {
    doc = JSON.parse(readFileSync(path, 'utf8')) as typeof doc;
  } catch (err) {
    throw new UsageError(`--plan ${path}: cannot read it as JSON (${err instanceof Error ? err.message : String(err)})`,
      'pass a file written by `apim-deploy plan -i INV --out FILE`');
  }
  if (doc?.kind !== PLAN_DOCUMENT_KIND || typeof doc.plan !== 'object' || doc.plan === null) {
    throw new UsageError(`--plan ${path}: not an apim-deploy plan`, 'pass a file written by `apim-deploy plan -i INV --out FILE`');
  }
  if (doc.format !== PLAN_FORMAT || doc.plan.format !== PLAN_FORMAT) {
    throw new UsageError(`--plan ${path}: plan format ${String(doc.format)}, this apim-deploy reads format ${PLAN_FORMAT}`,
      'make the plan again with this version: apim-deploy plan -i INV --out FILE');
  }
  return { format: PLAN_FORMAT, kind: PLAN_DOCUMENT_KIND, limit: typeof doc.limit === 'string' ? doc.limit : null, plan: doc.plan as Plan };
}
