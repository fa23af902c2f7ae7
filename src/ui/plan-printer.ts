import type { HostName } from '../model/inventory.js';
import type { FileContent, Plan, Step } from '../model/plan.js';
import type { StepPreview } from '../model/preview.js';
import { redact, type Secret } from '../model/secret.js';
import { fileChange } from './file-change.js';
import { indentLines } from './format.js';

export interface PlanPrintInput {
  readonly plan: Plan;
  /** The step modules' describe() and display commands (steps' previewStep), injected: ui does not import steps. */
  readonly preview: (step: Step) => StepPreview;
  /** By sha256: the newly rendered files and the current remote ones the facts read. */
  readonly contents: ReadonlyMap<string, FileContent>;
  /** Hosts that could not be reached, with why: their plan is shown from desired state only. */
  readonly unreachable?: ReadonlyMap<HostName, string>;
  /**
   * Whether a step can change its host (steps' `stepKinds[kind].mutates`), injected. When given, read-only checks are
   * marked as such, hosts with nothing to change take one line, and the summary counts changes, not steps.
   */
  readonly mutates?: (step: Step) => boolean;
  /** Preflight problems a real run would stop on. */
  readonly problems?: readonly string[];
  /** Every secret in play: masked out of every printed line, whatever it came from. */
  readonly secrets?: readonly Secret[];
}

/**
 * The dry run: per wave, per host, each step with its reason, its exact commands, and a diff for every
 * config file it would change. Files holding secrets show only which keys change, values as ***.
 */
export function formatPlan(input: PlanPrintInput): string[] {
  const { plan } = input;
  const out: string[] = [];
  const quiet = new Set(input.mutates ? plan.unchanged.map((u) => u.host) : []);
  const hostOf = new Map(plan.waves.flatMap((w) => w.steps.map((s) => [s.id, s.host] as const)));
  // An unchanged host's check that waits on a host with changes is shown: the run waits on it (a balancer's gate on
  // the nodes it routes to). Its other checks are counted in the summary only.
  const shown = (s: Step): boolean => !quiet.has(s.host) || s.after.some((id) => { const h = hostOf.get(id); return h !== undefined && !quiet.has(h); });
  plan.waves.forEach((wave, index) => {
    const hosts = [...new Set(wave.steps.filter(shown).map((s) => s.host))];
    if (hosts.length === 0) return;
    out.push(`== wave ${index + 1}: ${wave.label}`);
    for (const host of hosts) {
      const down = input.unreachable?.get(host);
      const why = down?.startsWith(`${host}: `) ? down.slice(host.length + 2) : down;
      out.push(down ? `${host}  (UNREACHABLE: ${why}; shown from the inventory alone)` : host);
      if (quiet.has(host)) out[out.length - 1] += '  (no changes; waits on changes elsewhere)';
      for (const step of wave.steps.filter((s) => s.host === host && shown(s))) out.push(...stepLines(step, input));
    }
    out.push('');
  });
  for (const u of plan.unchanged) out.push(`${u.host}: no changes (${u.reason})`);
  for (const p of input.problems ?? []) out.push(`preflight: ${p}`);
  out.push(summary(input));
  return input.secrets ? out.map((l) => redact(l, input.secrets!)) : out;
}

function summary({ plan, mutates, unreachable }: PlanPrintInput): string {
  const steps = plan.waves.flatMap((w) => w.steps);
  if (!mutates) return steps.length === 0 ? 'Nothing to do.' : `${steps.length} steps in ${plan.waves.length} waves.`;
  const changes = steps.filter(mutates);
  const hosts = new Set(changes.map((s) => s.host));
  const checks = steps.length - changes.length;
  const down = unreachable && unreachable.size > 0 ? `; ${unreachable.size} host(s) unreachable` : '';
  if (changes.length === 0) return `No changes pending (${checks} read-only check(s) would run)${down}.`;
  return `Changes pending: ${changes.length} change(s) on ${hosts.size} host(s), ${checks} read-only check(s)${down}.`;
}

function stepLines(step: Step, input: PlanPrintInput): string[] {
  const { description, lines } = input.preview(step);
  const readOnly = input.mutates ? !input.mutates(step) : false;
  const marker = readOnly ? '-' : step.certainty === 'conditional' ? '?' : '*';
  const note = step.certainty === 'conditional' ? ' (decided at run time)' : readOnly ? ' (read-only check)' : '';
  const out = [`  ${marker} ${description}: ${step.reason}${note}`, ...lines.map((l) => `      $ ${l}`)];
  if (step.kind === 'upload-file') out.push(...fileChangeLines(step, input.contents));
  return out;
}

function fileChangeLines(step: Extract<Step, { kind: 'upload-file' }>, contents: PlanPrintInput['contents']): string[] {
  const change = fileChange(step, contents);
  if (change.note) return [`      (${change.note})`];
  const keys = (change.keyChanges ?? []).map((k) => `        ${k}`);
  if (change.secret) return ['      secret values hidden; keys changed:', ...keys];
  const head = keys.length > 0 ? ['      keys changed:', ...keys] : [];
  return [...head, ...indentLines((change.diff ?? '').trimEnd(), '      ')];
}

export function printPlan(input: PlanPrintInput, write: (text: string) => void = (t) => process.stdout.write(t)): void {
  write(`${formatPlan(input).join('\n')}\n`);
}
