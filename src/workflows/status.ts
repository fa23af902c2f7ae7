/**
 * `apim-deploy status`: per host and role, the release running, its process, one round of health checks and whether
 * its config differs from what the inventory renders now. Read-only: one connection per host, one batched probe,
 * the role's own checks run once (no waiting).
 */
import { EXIT } from '../errors.js';
import { probeHost } from '../facts/index.js';
import { defaultProber, type HealthProber } from '../health/index.js';
import { loadInventory } from '../inventory/load.js';
import type { Inventory } from '../model/inventory.js';
import type { ProbeResult } from '../model/health.js';
import { renderInventory, type RenderedNode } from '../render/render-inventory.js';
import type { ConnectionCounter } from '../transport/open.js';
import type { Transport } from '../transport/transport.js';
import { connect } from './run/connect.js';
import { nodeStatus, statusProbePaths, unreachableNode, type NodeStatus } from './status/node-status.js';
import { deploymentUrls, type ServiceUrl } from './status/urls.js';

export interface StatusOptions {
  readonly inventory: string;
  readonly envFile?: string;
  readonly counter?: ConnectionCounter;
  /** Time limit of each health probe. Default 5 s. */
  readonly probeTimeoutMs?: number;
  readonly prober?: HealthProber;
}

export interface StatusReport {
  readonly inventory: string;
  readonly name: string;
  readonly pattern: string;
  readonly apimVersion: string;
  readonly nodes: readonly NodeStatus[];
  readonly urls: readonly ServiceUrl[];
  /** Every node healthy, in sync and on the inventory's version. */
  readonly ok: boolean;
}

const DEFAULT_PROBE_TIMEOUT_MS = 5000;

export async function deploymentStatus(opts: StatusOptions): Promise<StatusReport> {
  // Status compares rendered files with the hosts: the distributions need not be on this machine.
  const inventory = await loadInventory(opts.inventory, { requireArtifacts: false, ...(opts.envFile ? { envFile: opts.envFile } : {}) });
  const rendered = renderInventory(inventory);
  const connections = await connect(inventory.hosts, opts.counter ? { counter: opts.counter } : {});
  try {
    const perHost = await Promise.all(
      inventory.hosts.map(async (host) => {
        const nodes = rendered.filter((r) => r.host === host.name);
        const t = connections.transports.get(host.name);
        if (!t) {
          const why = connections.unreachable.get(host.name)?.message ?? 'not connected';
          return nodes.map((n) => unreachableNode(n, why));
        }
        return hostStatus(inventory, nodes, t, opts).catch((err: unknown) =>
          nodes.map((n) => unreachableNode(n, (err as Error).message)));
      }),
    );
    const nodes = perHost.flat();
    return {
      inventory: opts.inventory, name: inventory.name, pattern: inventory.pattern, apimVersion: inventory.apim.version,
      nodes, urls: deploymentUrls(inventory), ok: nodes.every((n) => n.ok),
    };
  } finally {
    await connections.close();
  }
}

/** 0 when every node is healthy and in sync, 1 otherwise. */
export const statusExitCode = (report: StatusReport): number => (report.ok ? EXIT.ok : EXIT.failure);

/** One host: the batched probe, each service's `isRunning`, and every node's checks, all at once. */
async function hostStatus(inventory: Inventory, nodes: readonly RenderedNode[], t: Transport, opts: StatusOptions): Promise<NodeStatus[]> {
  const prober = opts.prober ?? defaultProber;
  const timeoutMs = opts.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const probe = (n: RenderedNode): Promise<ProbeResult[]> =>
    Promise.all(n.runtime.checks.map((c) => prober.probe(c, { transport: t, timeoutMs })));
  const isRunning = async (n: RenderedNode): Promise<boolean | undefined> =>
    n.runtime.kind === 'service' && n.runtime.isRunning ? (await t.exec({ argv: n.runtime.isRunning, timeoutMs })).exitCode === 0 : undefined;
  const [facts, running, checks] = await Promise.all([
    probeHost(t, statusProbePaths(nodes)),
    Promise.all(nodes.map(isRunning)),
    Promise.all(nodes.map(probe)),
  ]);
  return nodes.map((n, i) => {
    const serviceRunning = running[i];
    return nodeStatus(n, inventory.apim.version, { facts, checks: checks[i]!, ...(serviceRunning === undefined ? {} : { serviceRunning }) });
  });
}
