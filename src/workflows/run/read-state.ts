import { probeHost } from '../../facts/index.js';
import type { HostName } from '../../model/inventory.js';
import type { DesiredHost } from '../../planner/desired-state.js';
import type { HostState } from '../../planner/inputs.js';
import { probePaths } from '../../planner/probe-paths.js';
import type { Transport } from '../../transport/transport.js';
import { preflightProblems } from './preflight.js';
import { preflightError } from './run-errors.js';

export interface StateOptions {
  /** Hash every file on the hosts again, ignoring upload stamps (`--verify`). */
  readonly verify?: boolean;
}

/** One batched probe per host, plus each service role's `isRunning` command: all read-only, all hosts at once. */
export async function gatherState(desired: readonly DesiredHost[], transports: ReadonlyMap<HostName, Transport>, opts: StateOptions = {}): Promise<Map<HostName, HostState>> {
  const entries = await Promise.all(
    desired.map(async (d): Promise<[HostName, HostState]> => {
      const t = transports.get(d.host.name)!;
      const services = d.nodes.filter((n) => n.kind === 'service' && n.runtime.isRunning);
      const [facts, ...running] = await Promise.all([
        probeHost(t, { ...probePaths(d), verify: opts.verify ?? false }),
        ...services.map(async (n) => (await t.exec({ argv: n.runtime.isRunning! })).exitCode === 0),
      ]);
      const serviceRunning = Object.fromEntries(services.map((n, i) => [n.node.role, running[i] as boolean]));
      return [d.host.name, { facts: facts as HostState['facts'], serviceRunning }];
    }),
  );
  return new Map(entries);
}

export interface ReadState {
  readonly state: Map<HostName, HostState>;
  /** Preflight problems (empty when preflight was skipped). */
  readonly problems: readonly string[];
}

/**
 * Fresh facts for the given hosts, then preflight: `stop` throws before any change when a host is not fit,
 * `report` returns the problems (dry runs), `skip` does not look (a batch re-reading facts mid-rollout).
 */
export async function readState(
  transports: ReadonlyMap<HostName, Transport>, hosts: readonly DesiredHost[], preflight: 'stop' | 'report' | 'skip', opts: StateOptions = {},
): Promise<ReadState> {
  const state = await gatherState(hosts, transports, opts);
  const problems = preflight === 'skip' ? [] : preflightProblems(hosts, state);
  if (problems.length > 0 && preflight === 'stop') throw preflightError(problems);
  return { state, problems };
}
