import type { Plan, Step } from '../../model/plan.js';

/** A value in a difference line: short, one line. */
function shown(v: unknown): string {
  const text = JSON.stringify(v) ?? 'nothing';
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function stepDifferences(saved: Step, now: Step): string[] {
  const keys = [...new Set([...Object.keys(saved), ...Object.keys(now)])].sort();
  const a = saved as unknown as Record<string, unknown>;
  const b = now as unknown as Record<string, unknown>;
  return keys.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => `step ${now.id}: ${k} is ${shown(a[k])} in the file, ${shown(b[k])} as planned now`);
}

/**
 * How a saved plan differs from the plan the inventory and hosts give now (both sealed the same way), step by step,
 * at most `max` lines. Empty: the file is exactly what would be planned, so running the plan made now runs it.
 * The time stamp is not compared; facts are (drift.ts says which).
 */
export function planDifferences(saved: Plan, now: Plan, max = 10): string[] {
  const out: string[] = [];
  if (saved.inventory !== now.inventory) out.push(`inventory is ${shown(saved.inventory)} in the file, ${shown(now.inventory)} now`);
  if (saved.apimVersion !== now.apimVersion) out.push(`apimVersion is ${shown(saved.apimVersion)} in the file, ${shown(now.apimVersion)} now`);
  const savedSteps = new Map((saved.waves ?? []).flatMap((w) => (w.steps ?? []).map((s) => [s.id, s] as const)));
  const nowSteps = now.waves.flatMap((w) => w.steps);
  for (const step of nowSteps) {
    const s = savedSteps.get(step.id);
    if (!s) out.push(`step ${step.id} is planned now but missing from the file`);
    else out.push(...stepDifferences(s, step));
  }
  const nowIds = new Set(nowSteps.map((s) => s.id));
  for (const id of savedSteps.keys()) if (!nowIds.has(id)) out.push(`step ${shown(id)} is in the file but not planned now`);
  const waves = (p: Plan) => JSON.stringify((p.waves ?? []).map((w) => [w.label, (w.steps ?? []).map((s) => s.id)]));
  if (out.length === 0 && waves(saved) !== waves(now)) out.push('the steps are grouped or ordered differently in waves');
  if (out.length === 0 && JSON.stringify(saved.unchanged) !== JSON.stringify(now.unchanged)) out.push('the hosts without changes differ');
  return out.length > max ? [...out.slice(0, max), `... and ${out.length - max} more`] : out;
}
