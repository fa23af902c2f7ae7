import type { HostName } from '../model/inventory.js';
import type { FileContent, Plan, Step } from '../model/plan.js';
import type { StepPreview } from '../model/preview.js';
import { indentLines } from './format.js';
import { secretKeyChanges } from './secret-diff.js';
import { unifiedDiff } from './unified-diff.js';

export interface PlanPrintInput {
  readonly plan: Plan;
  /** The step modules' describe() and display commands (steps' previewStep), injected: ui does not import steps. */
  readonly preview: (step: Step) => StepPreview;
  /** By sha256: the newly rendered files and the current remote ones the facts read. */
  readonly contents: ReadonlyMap<string, FileContent>;
  /** Hosts that could not be reached, with why: their plan is shown from desired state only. */
  readonly unreachable?: ReadonlyMap<HostName, string>;
}

/**
 * The dry run: per wave, per host, each step with its reason, its exact commands, and a diff for every
 * config file it would change. Files holding secrets show only which keys change, values as ***.
 */
export function formatPlan(input: PlanPrintInput): string[] {
  const { plan } = input;
  const out: string[] = [];
  plan.waves.forEach((wave, index) => {
    out.push(`== wave ${index + 1}: ${wave.label}`);
    const hosts = [...new Set(wave.steps.map((s) => s.host))];
    for (const host of hosts) {
      const down = input.unreachable?.get(host);
      out.push(down ? `${host}  (UNREACHABLE: ${down}; shown from the inventory alone)` : host);
      for (const step of wave.steps.filter((s) => s.host === host)) out.push(...stepLines(step, input));
    }
    out.push('');
  });
  for (const u of plan.unchanged) out.push(`${u.host}: no changes (${u.reason})`);
  const count = plan.waves.reduce((n, w) => n + w.steps.length, 0);
  out.push(count === 0 ? 'Nothing to do.' : `${count} steps in ${plan.waves.length} waves.`);
  return out;
}

function stepLines(step: Step, input: PlanPrintInput): string[] {
  const { description, lines } = input.preview(step);
  const marker = step.certainty === 'conditional' ? '?' : '*';
  const conditional = step.certainty === 'conditional' ? ' (decided at run time)' : '';
  const out = [`  ${marker} ${description}: ${step.reason}${conditional}`, ...lines.map((l) => `      $ ${l}`)];
  if (step.kind === 'upload-file') out.push(...fileChange(step, input.contents));
  return out;
}

function fileChange(step: Extract<Step, { kind: 'upload-file' }>, contents: PlanPrintInput['contents']): string[] {
  const next = contents.get(step.sha256);
  if (!next) return ['      (rendered content not available)'];
  const previous = step.expectSha256 === null ? undefined : contents.get(step.expectSha256);
  if (step.expectSha256 !== null && !previous) return ['      (current content not read; no diff)'];
  if (step.secret || next.secret || previous?.secret) {
    const keys = secretKeyChanges(previous?.content, next.content);
    return ['      secret values hidden; keys changed:', ...keys.map((k) => `        ${k}`)];
  }
  return indentLines(unifiedDiff(previous?.content, next.content, step.path).trimEnd(), '      ');
}

export function printPlan(input: PlanPrintInput, write: (text: string) => void = (t) => process.stdout.write(t)): void {
  write(`${formatPlan(input).join('\n')}\n`);
}
