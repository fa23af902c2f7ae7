import { hostProbeArgv, probeHost, type ProbePaths } from '../../facts/index.js';
import type { HostName } from '../../model/inventory.js';
import type { DesiredHost } from '../../planner/desired-state.js';
import type { HostState } from '../../planner/inputs.js';
import { probePaths } from '../../planner/probe-paths.js';
import type { Transport } from '../../transport/transport.js';
import type { EarlyReads } from './early-reads.js';
import { preflightProblems } from './preflight.js';
import { preflightError } from './run-errors.js';

export interface StateOptions {
  /** Hash every file on the hosts again, ignoring upload stamps (`--verify`). */
  readonly verify?: boolean;
  /** What hosts already answered to these reads, when their connection opened (see stateReads). */
  readonly early?: EarlyReads;
}

/** The reads gatherState makes on one host: its probe, and each service role's `isRunning` command. */
function reads(d: DesiredHost, opts: StateOptions): { readonly probe: ProbePaths; readonly running: readonly { readonly role: string; readonly argv: readonly string[] }[] } {
  return {
    probe: { ...probePaths(d), verify: opts.verify ?? false },
    running: d.nodes.flatMap((n) => (n.kind === 'service' && n.runtime.isRunning ? [{ role: n.node.role, argv: n.runtime.isRunning }] : [])),
  };
}

/** The argv of every read gatherState makes on the host, so they can be asked ahead (a connection's first command). */
export function stateReads(d: DesiredHost, opts: StateOptions = {}): string[][] {
  const r = reads(d, opts);
  return [hostProbeArgv(r.probe), ...r.running.map((x) => [...x.argv])];
}

/**
 * RunNeeds.readsAhead of a command that plans: each host's state reads, asked in its connection's first command. Not
 * with `--verify`, whose probes re-hash every archive: the caller leaves readsAhead unset then.
 */
export const stateReadsAhead = ({ desired }: { readonly desired: readonly DesiredHost[] }): Map<HostName, string[][]> =>
  new Map(desired.map((d) => [d.host.name, stateReads(d)]));

/** One batched probe per host, plus each service role's `isRunning` command: all read-only, all hosts at once. */
export async function gatherState(desired: readonly DesiredHost[], transports: ReadonlyMap<HostName, Transport>, opts: StateOptions = {}): Promise<Map<HostName, HostState>> {
  const entries = await Promise.all(
    desired.map(async (d): Promise<[HostName, HostState]> => {
      const host = d.host.name;
      const t = transports.get(host)!;
      const { probe, running } = reads(d, opts);
      const [facts, ...up] = await Promise.all([
        probeHost(t, probe, opts.early?.take(host, hostProbeArgv(probe))),
        ...running.map(async (x) => (opts.early?.take(host, x.argv) ?? await t.exec({ argv: x.argv })).exitCode === 0),
      ]);
      const serviceRunning = Object.fromEntries(running.map((x, i) => [x.role, up[i] as boolean]));
      return [host, { facts: facts as HostState['facts'], serviceRunning }];
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
