import { TransportError } from '../../errors.js';
import { hostProbeArgv, probeHost } from '../../facts/index.js';
import type { HealthProber } from '../../health/index.js';
import type { HostName } from '../../model/inventory.js';
import type { ProbeResult } from '../../model/health.js';
import type { RenderedNode } from '../../render/render-inventory.js';
import type { Transport } from '../../transport/transport.js';
import type { EarlyReads } from '../run/early-reads.js';
import { nodeStatus, statusProbePaths, type NodeStatus } from './node-status.js';

/**
 * What status reads on each host in its connection's first command: the host probe, so a host answers it beside the
 * become check instead of in a second round of commands. Its health checks run once it is open, as the login user;
 * so do the services' `isRunning` commands (a slow pg_ctlcluster must not hold up the host's other answers).
 */
export function statusReadsAhead({ rendered }: { readonly rendered: readonly RenderedNode[] }): Map<HostName, string[][]> {
  const hosts = [...new Set(rendered.map((r) => r.host))];
  return new Map(hosts.map((host) => [host, [hostProbeArgv(statusProbePaths(rendered.filter((r) => r.host === host)))]]));
}

/**
 * One host: the batched probe (answered ahead when `early` holds it), each service's `isRunning`, and every node's
 * checks, all at once, each run once.
 */
export async function hostStatus(
  apimVersion: string, nodes: readonly RenderedNode[], t: Transport, o: { prober: HealthProber; timeoutMs: number; early?: EarlyReads },
): Promise<NodeStatus[]> {
  const probe = (n: RenderedNode): Promise<ProbeResult[]> =>
    Promise.all(n.runtime.checks.map((c) => o.prober.probe(c, { transport: t, timeoutMs: o.timeoutMs })));
  // A state command that does not answer in time (pg_ctlcluster is a Perl script: seconds on a host under heavy
  // load) leaves the process state unknown; the node's checks still say whether it serves. The host answered, so it
  // is not reported unreachable.
  const isRunning = async (n: RenderedNode): Promise<boolean | undefined> => {
    if (n.runtime.kind !== 'service' || !n.runtime.isRunning) return undefined;
    try {
      return (await t.exec({ argv: n.runtime.isRunning, timeoutMs: o.timeoutMs })).exitCode === 0;
    } catch (err) {
      if (err instanceof TransportError && err.kind === 'timeout') return undefined;
      throw err;
    }
  };
  const [facts, running, checks] = await Promise.all([
    probeHost(t, statusProbePaths(nodes), o.early?.take(t.host, hostProbeArgv(statusProbePaths(nodes)))),
    Promise.all(nodes.map(isRunning)),
    Promise.all(nodes.map(probe)),
  ]);
  return nodes.map((n, i) => {
    const serviceRunning = running[i];
    return nodeStatus(n, apimVersion, { facts, checks: checks[i]!, ...(serviceRunning === undefined ? {} : { serviceRunning }) });
  });
}
