import { TransportError } from '../errors.js';
import type { Clock } from '../model/clock.js';
import type { RunEvent } from '../model/events.js';
import type { HostName } from '../model/inventory.js';
import type { FileContent, Plan, Step } from '../model/plan.js';
import type { Secret } from '../model/secret.js';
import { defaultProber, systemClock, waitUntilHealthy, type HealthProber } from '../health/index.js';
import { describeStep, stepWaits, type StepContext } from '../steps/index.js';
import type { Transport } from '../transport/transport.js';
import { TypedEmitter } from './emitter.js';
import { errorDetail } from './error-detail.js';
import { createLimit } from './limit.js';
import { buildRecap } from './recap.js';
import type { RunResult, StepResult } from './result.js';
import { runStep } from './run-step.js';
import { validateDependencies } from './validate.js';

export const DEFAULT_CONCURRENCY = 16;

export interface ExecuteOptions {
  /** One open transport per host in the plan. */
  readonly transports: ReadonlyMap<HostName, Transport>;
  /** Rendered file contents by sha256. */
  readonly contents: ReadonlyMap<string, FileContent>;
  /** Ctrl-C: no new step starts; in-flight steps see the signal. */
  readonly signal?: AbortSignal;
  /** Steps running at once across hosts (default 16); a step that waits on its host (a health gate) takes no slot. */
  readonly concurrency?: number;
  readonly clock?: Clock;
  readonly prober?: HealthProber;
  /** Every secret in play: masked out of every reason, error and log tail that leaves the executor. */
  readonly secrets?: readonly Secret[];
  readonly onEvent?: (event: RunEvent) => void;
}

function interruptedBeforeStart(step: Step, wave: number, at: number): StepResult {
  return {
    stepId: step.id, host: step.host, kind: step.kind, wave, startedAt: at, durationMs: 0, warnings: [],
    status: 'skipped', reason: 'not started: run interrupted',
  };
}

/** Hosts in first-appearance order. */
function hostsOf(steps: readonly Step[]): HostName[] {
  return [...new Set(steps.map((s) => s.host))];
}

/**
 * Runs a plan: waves in order; inside a wave each host's steps in order, one lane after another (a step's `lane`:
 * artifact copies run beside the host's other steps), hosts in parallel. A failed step blocks everything that
 * depends on it (transitively, across waves) while independent work finishes.
 */
export async function executePlan(plan: Plan, opts: ExecuteOptions): Promise<RunResult> {
  validateDependencies(plan);
  const clock = opts.clock ?? systemClock;
  const prober = opts.prober ?? defaultProber;
  const secrets = opts.secrets ?? [];
  const emitter = new TypedEmitter<RunEvent>();
  if (opts.onEvent) emitter.on(opts.onEvent);
  const limit = createLimit(opts.concurrency ?? DEFAULT_CONCURRENCY);
  const results = new Map<string, Promise<StepResult>>();
  const unreachable = new Map<HostName, StepResult>();
  const runStart = clock.now();

  emitter.emit({
    type: 'run-start',
    at: runStart,
    waves: plan.waves.map((w) => ({ label: w.label, hosts: hostsOf(w.steps), steps: w.steps.length })),
  });

  const contextFor = (step: Step, transport: Transport): StepContext => ({
    transport,
    transportFor: (host) => opts.transports.get(host),
    contents: opts.contents,
    clock,
    signal: opts.signal,
    waitHealthy: (s) =>
      waitUntilHealthy(s.checks, s.policy, {
        prober, transport, clock, signal: opts.signal, label: `${step.host} ${s.component}`, logFile: s.logFile,
      }),
  });

  /** Decides a step without running it (interrupted, blocked, host gone), or returns undefined to run it. */
  const verdict = async (step: Step, wave: number): Promise<StepResult | undefined> => {
    const at = clock.now();
    const base = { stepId: step.id, host: step.host, kind: step.kind, wave, startedAt: at, durationMs: 0, warnings: [] };
    if (opts.signal?.aborted) return interruptedBeforeStart(step, wave, at);
    const deps = await Promise.all(step.after.map((id) => results.get(id)!));
    // Awaited steps only have to end: their outcome is the step's own business (a peer fetch falls back).
    await Promise.all((step.awaits ?? []).map((id) => results.get(id)!));
    const blocker = deps.find((d) => d.rootCause !== undefined);
    if (blocker?.rootCause) {
      const root = blocker.rootCause;
      return { ...base, status: 'blocked', reason: `blocked by ${root.stepId}: ${root.message}`, rootCause: root };
    }
    if (opts.signal?.aborted) return interruptedBeforeStart(step, wave, at);
    const gone = unreachable.get(step.host);
    if (gone?.rootCause) {
      return { ...base, status: 'skipped', reason: `host unreachable: ${gone.rootCause.message}`, rootCause: gone.rootCause };
    }
    if (!opts.transports.has(step.host)) {
      const err = new TransportError(step.host, 'unreachable', 'no connection was opened to this host');
      const message = errorDetail(err, secrets).message;
      return { ...base, status: 'failed', reason: message, error: errorDetail(err, secrets), thrown: err,
        rootCause: { stepId: step.id, message }, unreachable: true };
    }
    return undefined;
  };

  const runOne = async (step: Step, wave: number): Promise<StepResult> => {
    const decided = await verdict(step, wave);
    const description = describeStep(step);
    const common = { wave, host: step.host, stepId: step.id, kind: step.kind, description };
    const start = async (): Promise<StepResult> => {
      // It may have queued for a slot while Ctrl-C arrived.
      if (opts.signal?.aborted) return interruptedBeforeStart(step, wave, clock.now());
      emitter.emit({ type: 'step-start', at: clock.now(), ...common });
      const transport = opts.transports.get(step.host)!;
      return runStep({ step, wave, ctx: contextFor(step, transport), clock, secrets });
    };
    const result = decided ?? (await (stepWaits(step) ? start() : limit(start)));
    if (result.unreachable && !unreachable.has(step.host)) unreachable.set(step.host, result);
    emitter.emit({
      type: 'step-end', at: clock.now(), ...common, status: result.status, reason: result.reason,
      durationMs: Math.round(result.durationMs), warnings: result.warnings, ...(result.error ? { error: result.error } : {}),
    });
    return result;
  };

  for (const [index, wave] of plan.waves.entries()) {
    const hosts = hostsOf(wave.steps);
    const waveStart = clock.now();
    emitter.emit({ type: 'wave-start', at: waveStart, index, label: wave.label, hosts });
    // Every step of the wave gets its promise before anything runs, so cross-host waits inside a wave resolve.
    const lanes = hosts.flatMap((host) => {
      const last = new Map<string, Promise<unknown>>();
      for (const step of wave.steps.filter((s) => s.host === host)) {
        const lane = step.lane ?? '';
        const pending = (last.get(lane) ?? Promise.resolve()).then(() => runOne(step, index));
        results.set(step.id, pending);
        last.set(lane, pending);
      }
      return [...last.values()];
    });
    await Promise.all(lanes);
    emitter.emit({ type: 'wave-end', at: clock.now(), index, label: wave.label, durationMs: Math.round(clock.now() - waveStart) });
  }

  const steps = await Promise.all(plan.waves.flatMap((w) => w.steps.map((s) => results.get(s.id)!)));
  const aborted = opts.signal?.aborted === true;
  const failed = aborted || steps.some((r) => r.status === 'failed' || r.status === 'blocked');
  const recap = buildRecap(hostsOf(plan.waves.flatMap((w) => w.steps)), steps);
  const durationMs = Math.round(clock.now() - runStart);
  emitter.emit({ type: 'run-end', at: clock.now(), durationMs, failed, aborted, recap });
  if (emitter.listenerError !== undefined) throw emitter.listenerError;
  return { ok: !failed, aborted, durationMs, steps, recap };
}
