/**
 * `status` during a migration: the controller's record of it, which side each balancer sends clients to (read from
 * the balancer, not assumed from the phases done), and blue and green node by node. Read-only.
 */
import { isWso2Role } from '../../catalog/variants.js';
import { parseBalancerState } from '../../model/balancer-state.js';
import type { HostName } from '../../model/inventory.js';
import type { HealthProber } from '../../health/index.js';
import type { RenderedNode } from '../../render/render-inventory.js';
import { balancerUpstreams } from '../../topology/load-balancer.js';
import { newestRecord, type MigrationRecord } from '../migrate/record.js';
import { greenRunOptions } from '../migrate/green-run.js';
import { openRun, type RunContext, type RunOptions } from '../run/open-run.js';
import { hostStatus } from './host-status.js';
import { unreachableNode, type NodeStatus } from './node-status.js';
import { trafficSide, type BalancerTraffic } from './traffic-side.js';

export interface SideNode {
  readonly host: HostName;
  readonly role: string;
  readonly address: string;
  /** `not provisioned yet`: the migration has not reached provision-green; `unreachable: …`; else the probe's verdict. */
  readonly state: 'not provisioned yet' | 'unreachable' | 'probed';
  readonly detail: string | null;
  readonly version: string | null;
  readonly healthy: boolean | null;
  /** Files on the host that differ from what its own side's inventory renders (green: green's inventory); null: not read. */
  readonly drift: number | null;
}

export interface MigrationStatus {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly window: MigrationRecord['window'];
  readonly phasesDone: MigrationRecord['phasesDone'];
  readonly traffic: readonly BalancerTraffic[];
  /** Blue's WSO2 nodes, side by side with their green partners' (same order). */
  readonly pairs: readonly { readonly blue: SideNode; readonly green: SideNode }[];
}


const fromStatus = (s: NodeStatus): SideNode => ({
  host: s.host, role: s.role, address: s.address, state: s.unreachable ? 'unreachable' : 'probed', detail: s.unreachable,
  version: s.version, healthy: s.unreachable ? null : s.health.healthy, drift: s.unreachable ? null : s.drift.length,
});

type Probing = { readonly prober: HealthProber; readonly timeoutMs: number };

/**
 * Green's nodes: not probed before provision-green; then as green's own inventory renders them (greenInventory, the
 * one provision-green and verify-green run): its checks, its version, its files, so its health and drift are its own.
 */
async function greenSide(runOpts: RunOptions, record: MigrationRecord, blueNodes: readonly RenderedNode[], probing: Probing): Promise<Map<string, SideNode>> {
  const out = new Map<string, SideNode>();
  const partner = new Map(record.green.map((g) => [g.blue, g]));
  const key = (host: string, role: string) => `${host}/${role}`;
  const each = (state: SideNode['state'], detail: string | null): void => {
    for (const n of blueNodes) {
      const g = partner.get(n.host);
      if (g) out.set(key(n.host, n.role), { host: g.name, role: n.role, address: g.address, state, detail, version: null, healthy: null, drift: null });
    }
  };
  if (!record.phasesDone.includes('provision-green')) {
    each('not provisioned yet', null);
    return out;
  }
  let ctx: RunContext;
  try {
    ctx = await openRun(greenRunOptions(runOpts, record, 'status'), { artifacts: 'none', connect: 'limited', unreachable: 'report' });
  } catch (err) {
    each('unreachable', `green's inventory: ${(err as Error).message}`);
    return out;
  }
  try {
    for (const g of record.green) {
      const nodes = ctx.rendered.filter((r) => r.host === g.name);
      const t = ctx.transports.get(g.name);
      const why = ctx.unreachable.get(g.name)?.message ?? 'not connected';
      const statuses = t ? await hostStatus(record.to, nodes, t, probing).catch((err: unknown) => nodes.map((n) => unreachableNode(n, (err as Error).message)))
        : nodes.map((n) => unreachableNode(n, why));
      statuses.forEach((s) => out.set(key(g.blue, s.role), fromStatus(s)));
    }
  } finally {
    await ctx.close();
  }
  return out;
}

/** Which side each balancer sends clients to, read from its servers (status, and migrate --finish's precondition). */
export async function balancerTraffic(ctx: RunContext, record: Pick<MigrationRecord, 'green'>, timeoutMs: number): Promise<BalancerTraffic[]> {
  const blueAddresses = new Set(ctx.inventory.hosts.filter((h) => record.green.some((g) => g.blue === h.name)).map((h) => h.address));
  const greenAddresses = new Set(record.green.map((g) => g.address));
  const traffic: BalancerTraffic[] = [];
  for (const lb of ctx.rendered.filter((r) => r.role === 'load-balancer' && r.runtime.balancer && r.context.loadBalancer)) {
    const t = ctx.transports.get(lb.host);
    const r = t ? await t.exec({ argv: lb.runtime.balancer!.state, timeoutMs }) : null;
    if (!r || r.exitCode !== 0) {
      traffic.push({ balancer: lb.host, side: 'unread', blue: [], green: [], detail: r ? r.stderr.trim().split('\n').pop() ?? `exit ${r.exitCode}` : 'not connected' });
      continue;
    }
    const clients = new Set(balancerUpstreams(lb.context.loadBalancer!).map((u) => u.name));
    traffic.push(trafficSide(lb.host, parseBalancerState(r.stdout), clients, blueAddresses, greenAddresses));
  }
  return traffic;
}

/** The migration view for `status`, from the record, the balancers and both sides' probes; null when none runs. */
export async function migrationStatus(ctx: RunContext, blue: readonly NodeStatus[], probing: Probing, runOpts: RunOptions): Promise<MigrationStatus | null> {
  const record = newestRecord(ctx.inventory.file, (r) => !r.abandonedAt && r.from === ctx.inventory.apim.version);
  if (!record) return null;
  const traffic = await balancerTraffic(ctx, record, probing.timeoutMs);
  const blueNodes = ctx.rendered.filter((n) => isWso2Role(ctx.catalog[n.role]) && record.green.some((g) => g.blue === n.host));
  const green = await greenSide(runOpts, record, blueNodes, probing);
  const pairs = blueNodes.flatMap((n) => {
    const b = blue.find((s) => s.host === n.host && s.role === n.role);
    const g = green.get(`${n.host}/${n.role}`);
    return b && g ? [{ blue: fromStatus(b), green: g }] : [];
  });
  return { id: record.id, from: record.from, to: record.to, window: record.window, phasesDone: record.phasesDone, traffic, pairs };
}
