import { PLAN_DOCUMENT_KIND, PLAN_FORMAT, type Plan, type Step } from '../model/plan.js';
import { redact } from '../model/secret.js';
import { fileChange, type FileChange } from './file-change.js';
import type { PlanPrintInput } from './plan-printer.js';

export interface StepPreviewDocument {
  readonly description: string;
  readonly lines: readonly string[];
  readonly mutates: boolean;
  readonly file?: FileChange;
}

/**
 * The dry run as one versioned JSON document (`--json`): the plan itself (what `--plan` executes), per-host status,
 * and per step its preview and, for uploads, the diff or the secret-masked key changes.
 */
export interface PlanDocument {
  readonly format: typeof PLAN_FORMAT;
  readonly kind: typeof PLAN_DOCUMENT_KIND;
  readonly limit: string | null;
  readonly changesPending: boolean;
  readonly hosts: readonly { readonly host: string; readonly status: 'changes' | 'no changes' | 'unreachable'; readonly detail?: string }[];
  readonly problems: readonly string[];
  readonly plan: Plan;
  readonly previews: Readonly<Record<string, StepPreviewDocument>>;
}

export function planDocument(input: PlanPrintInput & { readonly limit?: string }): PlanDocument {
  const { plan } = input;
  const mutates = input.mutates ?? (() => true);
  const steps = plan.waves.flatMap((w) => w.steps);
  const changed = new Set(steps.filter(mutates).map((s) => s.host));
  const allHosts = [...new Set([...steps.map((s) => s.host), ...plan.unchanged.map((u) => u.host)])];
  const hosts = allHosts.map((host) => {
    const down = input.unreachable?.get(host);
    if (down) return { host, status: 'unreachable' as const, detail: down };
    return changed.has(host) ? { host, status: 'changes' as const } : { host, status: 'no changes' as const };
  });
  const previews = Object.fromEntries(steps.map((s): [string, StepPreviewDocument] => [s.id, stepPreview(s, input, mutates(s))]));
  return {
    format: PLAN_FORMAT, kind: PLAN_DOCUMENT_KIND, limit: input.limit ?? null, changesPending: changed.size > 0,
    hosts, problems: input.problems ?? [], plan, previews,
  };
}

function stepPreview(step: Step, input: PlanPrintInput, mutates: boolean): StepPreviewDocument {
  const { description, lines } = input.preview(step);
  return { description, lines, mutates, ...(step.kind === 'upload-file' ? { file: fileChange(step, input.contents) } : {}) };
}

/** The document as text, with every secret value masked (belt and braces: no field should hold one). */
export function planDocumentJson(input: PlanPrintInput & { readonly limit?: string }): string {
  const text = JSON.stringify(planDocument(input), null, 2);
  return input.secrets ? redact(text, input.secrets) : text;
}
