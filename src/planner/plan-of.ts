import { PLAN_FORMAT, type Plan, type Step, type Wave } from '../model/plan.js';

/** What a plan built outside build-plan (a rollout batch, a migration phase, an abort) says about itself. */
export interface PlanMeta {
  readonly inventory: string;
  readonly apimVersion: string;
  readonly now: string;
}

/** The meta of a plan made now, for an inventory file at a version. */
export function planMeta(inventoryFile: string, apimVersion: string): PlanMeta {
  return { inventory: inventoryFile, apimVersion, now: new Date().toISOString() };
}

/**
 * A plan of the given waves in order, empty waves left out: such plans are built from facts of their own moment,
 * so they carry no facts fingerprint for the executor to re-check.
 */
export function planOfWaves(meta: PlanMeta, waves: readonly Wave[]): Plan {
  return {
    format: PLAN_FORMAT, inventory: meta.inventory, apimVersion: meta.apimVersion, createdAt: meta.now, factsFingerprint: {},
    waves: waves.filter((w) => w.steps.length > 0), unchanged: [],
  };
}

/** A plan of one wave (none when there are no steps). */
export function singleWavePlan(meta: PlanMeta, label: string, steps: readonly Step[]): Plan {
  return planOfWaves(meta, [{ label, steps }]);
}
