/**
 * `apim-deploy status`: per host and role, the release running, its process, one round of health checks and whether
 * its config differs from what the inventory renders now. Read-only: one connection per host, one batched probe,
 * the role's own checks run once (no waiting).
 */
import { EXIT } from '../errors.js';
import { defaultProber, type HealthProber } from '../health/index.js';
import type { ConnectionCounter } from '../transport/open.js';
import { openRun } from './run/open-run.js';
import { hostStatus } from './status/host-status.js';
import { unreachableNode, type NodeStatus } from './status/node-status.js';
import { deploymentUrls, type ServiceUrl } from './status/urls.js';

export interface StatusOptions {
  readonly inventory: string;
  readonly envFile?: string;
  readonly counter?: ConnectionCounter;
  /** Time limit of each health probe. Default 5 s. */
  readonly probeTimeoutMs?: number;
  readonly prober?: HealthProber;
  /** `--limit`: only these hosts are connected to and reported (URLs stay the deployment's). */
  readonly limit?: string;
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
  const ctx = await openRun({
    inventory: opts.inventory, ...(opts.envFile ? { envFile: opts.envFile } : {}), ...(opts.counter ? { counter: opts.counter } : {}),
    ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
  }, { artifacts: 'none', connect: 'limited', unreachable: 'report' });
  const { inventory } = ctx;
  const probing = { prober: opts.prober ?? defaultProber, timeoutMs: opts.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS };
  try {
    const perHost = await Promise.all(
      inventory.hosts.filter((h) => !ctx.limited || ctx.limited.has(h.name)).map(async (host) => {
        const nodes = ctx.rendered.filter((r) => r.host === host.name);
        const t = ctx.transports.get(host.name);
        if (!t) {
          const why = ctx.unreachable.get(host.name)?.message ?? 'not connected';
          return nodes.map((n) => unreachableNode(n, why));
        }
        return hostStatus(inventory.apim.version, nodes, t, probing).catch((err: unknown) =>
          nodes.map((n) => unreachableNode(n, (err as Error).message)));
      }),
    );
    const nodes = perHost.flat();
    return {
      inventory: opts.inventory, name: inventory.name, pattern: inventory.pattern, apimVersion: inventory.apim.version,
      nodes, urls: deploymentUrls(inventory, ctx.catalog), ok: nodes.every((n) => n.ok),
    };
  } finally {
    await ctx.close();
  }
}

/** 0 when every node is healthy and in sync, 1 otherwise. */
export const statusExitCode = (report: StatusReport): number => (report.ok ? EXIT.ok : EXIT.failure);
