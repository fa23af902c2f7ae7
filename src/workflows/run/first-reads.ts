import { HOST_PROBE_TIMEOUT_MS } from '../../facts/index.js';
import type { HostName } from '../../model/inventory.js';
import { commandBatch } from '../../transport/command-batch.js';
import type { FirstAnswer, FirstCommand } from '../../transport/open.js';
import type { EarlyReads } from './early-reads.js';

export interface HostFirstReads {
  /** The init-system read of a host with an unset service_manager (service-manager.ts). */
  readonly serviceManager?: readonly string[];
  /** Reads the run makes next (read-state.ts stateReads), answered ahead into `early`. */
  readonly state: readonly (readonly string[])[];
}

/**
 * The command a host runs first when its connection opens (inside the sudo that checks become): its service-manager
 * read, and the state reads the run makes next, in one batch. An answer that does not split into the batch's is
 * dropped: each read is then asked again on its own.
 */
export function firstReadsCommand(host: HostName, reads: HostFirstReads, answered: Map<HostName, FirstAnswer>, early: EarlyReads): FirstCommand | undefined {
  const manager = reads.serviceManager;
  if (reads.state.length === 0) return manager ? { argv: manager, onAnswer: (a) => answered.set(host, a) } : undefined;
  const batch = commandBatch([...(manager ? [manager] : []), ...reads.state]);
  return {
    argv: batch.argv,
    timeoutMs: HOST_PROBE_TIMEOUT_MS,
    onAnswer: (a) => {
      const answers = batch.split(a.stdout);
      if (!answers) return;
      const state = manager ? answers.slice(1) : answers;
      if (manager) answered.set(host, answers[0]!);
      reads.state.forEach((argv, i) => early.add(host, argv, state[i]!));
    },
  };
}
