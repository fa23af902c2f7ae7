import type { Clock } from '../model/clock.js';
import type { ProbeResult } from '../model/health.js';
import type { HostName } from '../model/inventory.js';
import type { FileContent, StepKindName, StepOf } from '../model/plan.js';
import type { RemoteCommand, Transport } from '../transport/transport.js';

/** What the executor hands a step while it runs. Steps never import the executor or health directly. */
export interface StepContext {
  readonly transport: Transport;
  /** Another host's transport (drain watches connections on the load balancer). */
  readonly transportFor: (host: HostName) => Transport | undefined;
  /** Rendered file contents by sha256. */
  readonly contents: ReadonlyMap<string, FileContent>;
  readonly clock: Clock;
  readonly signal?: AbortSignal;
  /** Runs the health poller for a wait-healthy step (injected: steps do not import src/health). */
  readonly waitHealthy: (step: StepOf<'wait-healthy'>) => Promise<readonly ProbeResult[]>;
}

/** A step that ran: changed the host, found nothing to do (with why), or verified something (ok). */
export interface StepOutcome {
  readonly status: 'changed' | 'unchanged' | 'ok';
  readonly reason: string;
  readonly warnings?: readonly string[];
}

/**
 * One module per step kind. describe/commands/preview are pure and feed the dry run;
 * apply runs exactly those commands, so the preview cannot drift from the run.
 */
export interface StepKind<K extends StepKindName> {
  readonly kind: K;
  /** True when apply can change the host: the executor re-checks the precondition first. */
  readonly mutates: boolean;
  /**
   * True when the step mostly waits on its host (a health gate polls a booting node for seconds): it runs outside the
   * run's concurrency bound, which is there for the controller's work (uploads, commands). Holding a slot, a wave of
   * 26 gateways booted 16 at a time, the rest queued behind the first ones' waits.
   */
  readonly waits?: boolean;
  describe(step: StepOf<K>): string;
  /** The remote commands apply runs, in order (argv arrays, never joined strings). */
  commands(step: StepOf<K>): readonly RemoteCommand[];
  /** Display lines when commands alone do not tell the whole story (file transfers, health checks). */
  preview?(step: StepOf<K>): readonly string[];
  /** null while the plan's view of the host still holds; otherwise why it drifted. */
  precondition?(step: StepOf<K>, transport: Transport): Promise<string | null>;
  apply(step: StepOf<K>, ctx: StepContext): Promise<StepOutcome>;
}
