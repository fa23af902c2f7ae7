import type { ErrorDetail, HostRecap } from '../model/events.js';
import type { HostName } from '../model/inventory.js';
import type { StepKindName, StepStatus } from '../model/plan.js';

/** The failure at the root of a chain of blocked steps. */
export interface RootCause {
  readonly stepId: string;
  readonly message: string;
}

export interface StepResult {
  readonly stepId: string;
  readonly host: HostName;
  readonly kind: StepKindName;
  readonly wave: number;
  readonly status: StepStatus;
  readonly reason: string;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly warnings: readonly string[];
  readonly error?: ErrorDetail;
  /** The original error object, for exit codes; never put in events. */
  readonly thrown?: unknown;
  /** Set on failed, blocked and unreachable-skipped steps: what dependants are blocked by. */
  readonly rootCause?: RootCause;
  /** The step failed because the host could not be reached. */
  readonly unreachable?: boolean;
}

export interface RunResult {
  /** No step failed or was blocked, and the run was not interrupted. */
  readonly ok: boolean;
  readonly aborted: boolean;
  readonly durationMs: number;
  /** In plan order. */
  readonly steps: readonly StepResult[];
  readonly recap: readonly HostRecap[];
}
