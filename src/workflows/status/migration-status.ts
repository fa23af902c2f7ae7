/**
 * `status` during a migration: the controller's record of it, which side each balancer sends clients to (read from
 * the balancer, not assumed from the phases done), and blue and green node by node. Read-only.
 */
import { isWso2Role } from '../../catalog/variants.js';
import { parseBalancerState } from '../../model/balancer-state.js';
import type { HealthCheck } from '../../model/health.js';
import type { HostName } from '../../model/inventory.js';
import type { HealthProber } from '../../health/index.js';
import type { RenderedNode } from '../../render/render-inventory.js';
import { balancerUpstreams } from '../../topology/load-balancer.js';
import { openMigrationRecord, type MigrationRecord } from '../migrate/record.js';
import type { RunContext } from '../run/open-run.js';
import { hostStatus } from './host-status.js';
import type { NodeStatus } from './node-status.js';
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


/** A blue node's checks pointed at its green partner: the same probes, another address. */
export function checksAt(checks: readonly HealthCheck[], from: string, to: string): HealthCheck[] {
  const swap = (s: string) => s.split(from).join(to);
  return checks.map((c) => (c.kind === 'http' ? { ...c, url: swap(c.url) } : c.kind === 'tcp' ? { ...c, host: swap(c.host) } : c));
}

const fromStatus = (s: NodeStatus): SideNode => ({
  host: s.host, role: s.role, address: s.address, state: s.unreachable ? 'unreachable' : 'probed', detail: s.unreachable,
  version: s.version, healthy: s.unreachable ? null : s.health.healthy,
});

type Probing = { readonly prober: HealthProber; readonly timeoutMs: number };

/** Green's nodes: not probed before provision-green; then each partner with its blue node's probes at its address. */
async function greenSide(ctx: RunContext, record: MigrationRecord, blueNodes: readonly RenderedNode[], probing: Probing): Promise<Map<string, SideNode>> {
  const out = new Map<string, SideNode>();
  const partner = new Map(record.green.map((g) => [g.blue, g]));
  const provisioned = record.phasesDone.includes('provision-green');
  const key = (host: string, role: string) => `${host}/${role}`;
  if (!provisioned) {
    for (const n of blueNodes) {
      const g = partner.get(n.host);
      if (g) out.set(key(n.host, n.role), { host: g.name, role: n.role, address: g.address, state: 'not provisioned yet', detail: null, version: null, healthy: null });
    }
    return out;
  }
  const specs = record.green.flatMap((g) => {
    const blue = ctx.inventory.hosts.find((h) => h.name === g.blue);
    return blue ? [{ ...blue, name: g.name, address: g.address }] : [];
  });
  const conns = await ctx.open(specs);
  try {
    for (const g of record.green) {
      const blueAddress = ctx.inventory.hosts.find((h) => h.name === g.blue)?.address ?? '';
      const nodes = blueNodes.filter((n) => n.host === g.blue).map((n): RenderedNode => {
        const runtime = ctx.runtimeAt(record.to, n.node) ?? n.runtime;
        return { ...n, host: g.name, node: { host: g.name, role: n.role }, runtime: { ...runtime, checks: checksAt(runtime.checks, blueAddress, g.address) } };
      });
      const t = conns.transports.get(g.name);
      const statuses = t ? await hostStatus(record.to, nodes, t, probing) : [];
      nodes.forEach((n, i) => {
        const s = statuses[i];
        out.set(key(g.blue, n.role), s ? { ...fromStatus(s), address: g.address }
          : { host: g.name, role: n.role, address: g.address, state: 'unreachable', detail: conns.unreachable.get(g.name)?.message ?? 'not connected', version: null, healthy: null });
      });
    }
  } finally {
    await conns.close();
  }
  return out;
}

/** The migration view for `status`, from the record, the balancers and both sides' probes; null when none runs. */
export async function migrationStatus(ctx: RunContext, blue: readonly NodeStatus[], probing: Probing): Promise<MigrationStatus | null> {
  const record = openMigrationRecord(ctx.inventory.file);
  if (!record) return null;
  const blueAddresses = new Set(ctx.inventory.hosts.filter((h) => record.green.some((g) => g.blue === h.name)).map((h) => h.address));
  const greenAddresses = new Set(record.green.map((g) => g.address));
  const traffic: BalancerTraffic[] = [];
  for (const lb of ctx.rendered.filter((r) => r.role === 'load-balancer' && r.runtime.balancer && r.context.loadBalancer)) {
    const t = ctx.transports.get(lb.host);
    const r = t ? await t.exec({ argv: lb.runtime.balancer!.state, timeoutMs: probing.timeoutMs }) : null;
    if (!r || r.exitCode !== 0) {
      traffic.push({ balancer: lb.host, side: 'unread', blue: [], green: [], detail: r ? r.stderr.trim().split('\n').pop() ?? `exit ${r.exitCode}` : 'not connected' });
      continue;
    }
    const clients = new Set(balancerUpstreams(lb.context.loadBalancer!).map((u) => u.name));
    traffic.push(trafficSide(lb.host, parseBalancerState(r.stdout), clients, blueAddresses, greenAddresses));
  }
  const blueNodes = ctx.rendered.filter((n) => isWso2Role(ctx.catalog[n.role]) && record.green.some((g) => g.blue === n.host));
  const green = await greenSide(ctx, record, blueNodes, probing);
  const pairs = blueNodes.flatMap((n) => {
    const b = blue.find((s) => s.host === n.host && s.role === n.role);
    const g = green.get(`${n.host}/${n.role}`);
    return b && g ? [{ blue: fromStatus(b), green: g }] : [];
  });
  return { id: record.id, from: record.from, to: record.to, window: record.window, phasesDone: record.phasesDone, traffic, pairs };
}
