import type { HostName } from './inventory.js';
import type { StepKindName, StepStatus } from './plan.js';

/** Executor → UI events. Secret-free by construction: commands appear only in display form. */

export interface ErrorDetail {
  /** Error class name: 'RemoteError', 'HealthTimeoutError', 'TransportError', 'DriftError'. */
  readonly name: string;
  readonly message: string;
  /** Multi-line detail: stderr tail, last probe answers, log tail. */
  readonly detail?: string;
  readonly hint?: string;
}

export interface RunStartEvent {
  readonly type: 'run-start';
  readonly at: number;
  readonly waves: readonly { readonly label: string; readonly hosts: readonly HostName[]; readonly steps: number }[];
}
export interface WaveStartEvent {
  readonly type: 'wave-start';
  readonly at: number;
  readonly index: number;
  readonly label: string;
  readonly hosts: readonly HostName[];
}
export interface StepStartEvent {
  readonly type: 'step-start';
  readonly at: number;
  readonly wave: number;
  readonly host: HostName;
  readonly stepId: string;
  readonly kind: StepKindName;
  readonly description: string;
}
export interface StepEndEvent {
  readonly type: 'step-end';
  readonly at: number;
  readonly wave: number;
  readonly host: HostName;
  readonly stepId: string;
  readonly kind: StepKindName;
  readonly description: string;
  readonly status: StepStatus;
  /** Why this status: "already running (pid 42)", "blocked by gw-1/start-component/gateway: …". */
  readonly reason: string;
  readonly durationMs: number;
  readonly warnings: readonly string[];
  readonly error?: ErrorDetail;
}
export interface WaveEndEvent {
  readonly type: 'wave-end';
  readonly at: number;
  readonly index: number;
  readonly label: string;
  readonly durationMs: number;
}

export interface HostRecap {
  readonly host: HostName;
  readonly ok: number;
  readonly changed: number;
  readonly unchanged: number;
  readonly failed: number;
  readonly blocked: number;
  readonly skipped: number;
  readonly unreachable: number;
  readonly durationMs: number;
}
export interface RunEndEvent {
  readonly type: 'run-end';
  readonly at: number;
  readonly durationMs: number;
  /** True when a step failed or was blocked, or the run was interrupted. */
  readonly failed: boolean;
  readonly aborted: boolean;
  readonly recap: readonly HostRecap[];
}

export type RunEvent = RunStartEvent | WaveStartEvent | StepStartEvent | StepEndEvent | WaveEndEvent | RunEndEvent;
export type RunEventType = RunEvent['type'];
