import { createRenderer, printPlan, type PlanPrintInput } from '../ui/index.js';
import { previewStep, stepMutates } from '../workflows/plan.js';
import { formatVersions, type NodeVersions } from '../workflows/rollout/report.js';
import { interruptible } from './interruptible.js';
import { inventoryRunOptions } from './options.js';
import type { RollingArgs } from './rolling-options.js';
import { commandLine, reporting, type Reporting } from './run-report.js';

export function rollingRunOptions(argv: RollingArgs, signal: AbortSignal) {
  return {
    ...inventoryRunOptions(argv), signal, acceptNewHostKeys: argv['accept-new-host-keys'], lockWaitMs: argv['lock-wait'] * 1000,
    batch: argv.batch, maxFail: argv['max-fail'], ...(argv.limit !== undefined ? { limit: argv.limit } : {}), verify: argv.verify,
    ...(argv['health-timeout'] ? { healthTimeoutMs: argv['health-timeout'] * 1000 } : {}),
  };
}

/** Prints a rollout preview: the plan printer, between a headline and what a real run does differently. */
export function printRolloutPreview(headline: string, preview: Omit<PlanPrintInput, 'preview' | 'mutates'>): void {
  process.stdout.write(`${headline}; nothing was changed, no lock taken\n`);
  printPlan({ ...preview, preview: previewStep, mutates: stepMutates });
  process.stdout.write('A run plans each batch again on the facts of its moment, and stops at the first node that fails its gate.\n');
}

/** What a rolling run prints once it ends: one JSON line under --json, else lines of text. */
export interface RolloutRecap {
  readonly json: object;
  readonly lines: readonly string[];
}

/** The versions recap of upgrade and rollback. */
export const versionsRecap = (r: { versions: readonly NodeVersions[] }): RolloutRecap => ({ json: { versions: r.versions }, lines: ['', ...formatVersions(r.versions)] });

/**
 * A rolling run (upgrade, rollback, provision --rolling): plain or JSON progress (several runs, one per batch),
 * notices as they come, an optional report, then the recap.
 */
export async function runRollout<R extends { exitCode: number }>(
  argv: { json: boolean; report?: string },
  run: (r: Reporting, say: (t: string) => void, signal: AbortSignal) => Promise<R>,
  recap: (result: R) => RolloutRecap,
): Promise<void> {
  const report = reporting(createRenderer(argv.json ? 'json' : 'plain'), argv.report, commandLine(process.argv.slice(2)));
  const say = (text: string) => {
    report.notice(text);
    process.stdout.write(argv.json ? `${JSON.stringify({ notice: text })}\n` : `${text}\n`);
  };
  await interruptible(async (signal) => {
    const result = await report.run(() => run(report, say, signal));
    const { json, lines } = recap(result);
    if (argv.json) process.stdout.write(`${JSON.stringify(json)}\n`);
    else for (const line of lines) say(line);
    process.exitCode = result.exitCode;
  });
}
