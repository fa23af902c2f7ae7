/**
 * `apim-deploy status`: per host and role, the release running, its process, one round of health checks and whether
 * its config differs from what the inventory renders now. Read-only: one connection per host, one batched probe,
 * the role's own checks run once (no waiting).
 */
import { EXIT } from '../errors.js';
import { defaultProber, type HealthProber } from '../health/index.js';
import { nodeKey } from '../model/inventory.js';
import type { ConnectionCounter } from '../transport/open.js';
import { openRun } from './run/open-run.js';
import { balancerControl } from './rollout/balancer.js';
import { certificatesOf, type CertificateStatus } from './status/cert-status.js';
import { hostStatus, statusReadsAhead } from './status/host-status.js';
import { leftoversOf, type Leftovers } from './status/leftovers.js';
import { migrationStatus, type MigrationStatus } from './status/migration-status.js';
import { unreachableNode, type NodeStatus } from './status/node-status.js';
import { deploymentUrls, type ServiceUrl } from './status/urls.js';
import { secretOptions, type SecretSources } from '../secrets/sources.js';

export interface StatusOptions {
  readonly inventory: string;
  readonly envFile?: string;
  /** Encrypted dotenv key, --env-from-process names. */
  readonly secrets?: SecretSources;
  readonly counter?: ConnectionCounter;
  /** Time limit of each health probe. Default 5 s. */
  readonly probeTimeoutMs?: number;
  readonly prober?: HealthProber;
  /** `--limit`: only these hosts are connected to and reported (URLs stay the deployment's). */
  readonly limit?: string;
  /** The time certificate expiry is judged at (tests). Default: now. */
  readonly now?: Date;
}

export interface StatusReport {
  readonly inventory: string;
  readonly name: string;
  readonly pattern: string;
  readonly apimVersion: string;
  readonly nodes: readonly (NodeStatus & Leftovers & { readonly certificates: readonly CertificateStatus[] })[];
  readonly urls: readonly ServiceUrl[];
  /** Balancers whose servers' state could not be read (`lb-1: …`). */
  readonly balancersUnread: readonly string[];
  /** A migration the controller records (not abandoned): its balancers' side and blue beside green; null: none. */
  readonly migration: MigrationStatus | null;
  /** Every node healthy, in sync, on the inventory's version and in every balancer that proxies to it. */
  readonly ok: boolean;
}

const DEFAULT_PROBE_TIMEOUT_MS = 5000;

export async function deploymentStatus(opts: StatusOptions): Promise<StatusReport> {
  // Status compares rendered files with the hosts: the distributions need not be on this machine.
  const runOpts = { inventory: opts.inventory, ...secretOptions(opts), ...(opts.counter ? { counter: opts.counter } : {}) };
  const ctx = await openRun({ ...runOpts, ...(opts.limit !== undefined ? { limit: opts.limit } : {}) },
    { artifacts: 'none', connect: 'limited', unreachable: 'report', readsAhead: statusReadsAhead });
  const { inventory } = ctx;
  const now = opts.now ?? new Date();
  const probing = { prober: opts.prober ?? defaultProber, timeoutMs: opts.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS };
  try {
    // The balancers' server states are read beside the nodes, not after them: one round of commands, not two.
    const [perHost, held] = await Promise.all([Promise.all(
      inventory.hosts.filter((h) => !ctx.limited || ctx.limited.has(h.name)).map(async (host) => {
        const nodes = ctx.rendered.filter((r) => r.host === host.name);
        const t = ctx.transports.get(host.name);
        if (!t) {
          const why = ctx.unreachable.get(host.name)?.message ?? 'not connected';
          return nodes.map((n) => unreachableNode(n, why));
        }
        return hostStatus(inventory.apim.version, nodes, t, { ...probing, early: ctx.early }).catch((err: unknown) =>
          nodes.map((n) => unreachableNode(n, (err as Error).message)));
      }),
    ), balancerControl(ctx).heldOut()]);
    const extra = leftoversOf(perHost.flat(), held.nodes, inventory.apim.version, opts.inventory);
    const nodes = perHost.flat().map((n) => {
      const l = extra.get(nodeKey(n))!;
      const rendered = ctx.rendered.find((r) => r.host === n.host && r.role === n.role);
      const certificates = rendered ? certificatesOf(rendered, now) : [];
      const expired = certificates.some((c) => c.level === 'error');
      return { ...n, ...l, certificates, ok: n.ok && l.heldOut.length === 0 && !l.halfSwitched && !l.apartFromPeers && !expired };
    });
    const migration = ctx.limited ? null : await migrationStatus(ctx, perHost.flat(), probing, runOpts);
    return {
      migration,
      inventory: opts.inventory, name: inventory.name, pattern: inventory.pattern, apimVersion: inventory.apim.version,
      nodes, urls: deploymentUrls(inventory, ctx.catalog), balancersUnread: held.unread, ok: nodes.every((n) => n.ok) && held.unread.length === 0,
    };
  } finally {
    await ctx.close();
  }
}

/** 0 when every node is healthy and in sync, 1 otherwise. */
export const statusExitCode = (report: StatusReport): number => (report.ok ? EXIT.ok : EXIT.failure);
