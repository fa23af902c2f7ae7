import type { MigrationPlan } from '../model/migration.js';
import type { Step } from '../model/plan.js';
import type { StepPreview } from '../model/preview.js';

/** The marker a step's skip depends on (run-once), to show it done. */
const markerOf = (s: Step): string | null => (s.kind === 'run-once' ? s.marker : null);

/**
 * `migrate --dry-run`: every phase in order, each step with the commands the run would send (from the same step
 * modules), steps the database host records as done marked so, and the phases planned at their moment as lines.
 */
export function formatMigrationPlan(plan: MigrationPlan, preview: (s: Step) => StepPreview, done: ReadonlySet<string>): string[] {
  const steps = plan.steps.map((s) => `${s.from} → ${s.to}`).join(', ');
  const out = [
    `migration ${plan.id}: ${plan.from} → ${plan.to} (schema steps: ${steps})`,
    `databases on ${plan.databaseHost}: ${plan.databases.map((d) => `${d.blue} → ${d.green}`).join(', ')}`,
    `green hosts: ${plan.green.map((g) => `${g.blue} → ${g.name} (${g.address})`).join(', ')}`,
  ];
  plan.phases.forEach((phase, i) => {
    out.push('', `== phase ${i + 1}/${plan.phases.length}: ${phase.name}: ${phase.title}`);
    for (const line of phase.outline) out.push(`  - ${line}`);
    for (const step of phase.steps) {
      const p = preview(step);
      const marker = markerOf(step);
      out.push(`  ${step.host}: ${p.description}${marker && done.has(marker) ? '  [done: a run skips it]' : ''}`);
      out.push(`      why: ${step.reason}`);
      for (const line of p.lines) out.push(`      $ ${line}`);
    }
  });
  return out;
}
