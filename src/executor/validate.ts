import { InternalError } from '../errors.js';
import type { Plan } from '../model/plan.js';

/**
 * A step may wait only for steps in earlier waves, or earlier in the same wave (on another host, or
 * before it on its own host). Anything else would deadlock the executor: a planner bug, caught up front.
 * `awaits` (a peer fetch waiting for its seed's upload) is stricter: inside a wave, only a host that comes earlier
 * in the wave may be awaited, so such waits can never form a cycle through the hosts' own step order.
 */
export function validateDependencies(plan: Plan): void {
  const position = new Map<string, { wave: number; host: string; index: number }>();
  const problems: string[] = [];
  plan.waves.forEach((wave, w) =>
    wave.steps.forEach((step, index) => {
      if (position.has(step.id)) problems.push(`step id ${step.id} appears twice`);
      position.set(step.id, { wave: w, host: step.host, index });
    }),
  );
  for (const [w, wave] of plan.waves.entries()) {
    const hostOrder = [...new Set(wave.steps.map((s) => s.host))];
    for (const [index, step] of wave.steps.entries()) {
      for (const dep of step.after) {
        const at = position.get(dep);
        if (!at) problems.push(`${step.id} waits for unknown step ${dep}`);
        else if (at.wave > w) problems.push(`${step.id} waits for ${dep} in a later wave`);
        else if (at.wave === w && at.host === step.host && at.index >= index) {
          problems.push(`${step.id} waits for ${dep}, which comes after it on the same host`);
        }
      }
      for (const dep of step.awaits ?? []) {
        const at = position.get(dep);
        if (!at) problems.push(`${step.id} awaits unknown step ${dep}`);
        else if (at.wave > w) problems.push(`${step.id} awaits ${dep} in a later wave`);
        else if (at.wave === w && hostOrder.indexOf(at.host) >= hostOrder.indexOf(step.host)) {
          problems.push(`${step.id} awaits ${dep} on a host that does not come before its own in the wave`);
        }
      }
    }
  }
  if (problems.length > 0) throw new InternalError(`invalid plan: ${problems.join('; ')}`);
}
