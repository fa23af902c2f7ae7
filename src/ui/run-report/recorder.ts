import type { RunEvent, StepStartEvent } from '../../model/events.js';
import type { StepKindName, StepStatus } from '../../model/plan.js';
import type { Renderer } from '../renderer.js';

/** One bar of the timeline: a step on a host, from its start event to its end event (ms on the events' clock). */
export interface StepBar {
  readonly run: number;
  readonly host: string;
  readonly stepId: string;
  readonly kind: StepKindName;
  readonly description: string;
  readonly start: number;
  readonly end: number;
  readonly status: StepStatus;
  readonly reason: string;
  readonly error?: string;
  /** The error's detail (stderr tail, last probe answers, log tail), as the screen shows it. */
  readonly detail?: string;
}

export interface WaveSpan {
  readonly run: number;
  readonly label: string;
  readonly hosts: readonly string[];
  readonly start: number;
  readonly end: number;
}

export interface RunSpan {
  readonly start: number;
  readonly end: number;
  readonly failed: boolean;
  readonly aborted: boolean;
}

/** Everything a report draws, from the run's events (the `--json` stream) and notices, nothing else. */
export interface Timeline {
  readonly hosts: readonly string[];
  readonly bars: readonly StepBar[];
  readonly waves: readonly WaveSpan[];
  readonly runs: readonly RunSpan[];
  readonly notices: readonly { readonly at: number; readonly text: string }[];
}

export interface RunRecorder extends Renderer {
  onNotice(text: string): void;
  timeline(): Timeline;
}

/**
 * Listens like a renderer. A rollout is several runs (staging, then one per batch window); the recorder numbers them
 * and keeps every event's own time, so batches line up on one clock.
 */
export function createRunRecorder(now: () => number = () => performance.now()): RunRecorder {
  const hosts: string[] = [];
  const bars: StepBar[] = [];
  const waves: WaveSpan[] = [];
  const runs: RunSpan[] = [];
  const notices: { at: number; text: string }[] = [];
  const started = new Map<string, StepStartEvent>();
  const openWaves = new Map<number, { label: string; hosts: readonly string[]; start: number }>();
  let run = -1;
  let runStart = 0;
  const seen = (host: string) => {
    if (!hosts.includes(host)) hosts.push(host);
  };
  return {
    onEvent(e: RunEvent) {
      switch (e.type) {
        case 'run-start':
          run++;
          runStart = e.at;
          e.waves.forEach((w) => w.hosts.forEach(seen));
          return;
        case 'wave-start':
          openWaves.set(e.index, { label: e.label, hosts: e.hosts, start: e.at });
          return;
        case 'wave-end': {
          const w = openWaves.get(e.index);
          if (w) waves.push({ run, label: w.label, hosts: w.hosts, start: w.start, end: e.at });
          openWaves.delete(e.index);
          return;
        }
        case 'step-start':
          started.set(`${run}:${e.stepId}`, e);
          return;
        case 'step-end': {
          seen(e.host);
          const s = started.get(`${run}:${e.stepId}`);
          const earlier = s ? -1 : bars.map((b) => b.stepId).lastIndexOf(e.stepId);
          if (earlier >= 0) {
            // Restated after the batch (a switch rolled back): the bar keeps its time, takes its final status.
            bars[earlier] = { ...bars[earlier]!, status: e.status, reason: e.reason };
            return;
          }
          bars.push({
            run, host: e.host, stepId: e.stepId, kind: e.kind, description: e.description, start: s?.at ?? e.at - e.durationMs, end: e.at,
            status: e.status, reason: e.reason, ...(e.error ? { error: e.error.message } : {}), ...(e.error?.detail ? { detail: e.error.detail } : {}),
          });
          return;
        }
        case 'run-end':
          runs.push({ start: runStart, end: e.at, failed: e.failed, aborted: e.aborted });
          return;
      }
    },
    done: async () => {},
    onNotice(text: string) {
      notices.push({ at: now(), text });
    },
    timeline: () => ({ hosts: [...hosts], bars: [...bars], waves: [...waves], runs: [...runs], notices: [...notices] }),
  };
}
