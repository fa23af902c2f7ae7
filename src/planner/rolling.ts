import type { ResolvedRuntime } from '../catalog/runtime.js';
import { UsageError } from '../errors.js';
import type { UpgradePolicy } from '../model/role.js';
import type { NodeRef, RoleName } from '../model/inventory.js';
import { roleLayers } from './order.js';

/** `--batch`: a node count per batch, or a share of the role's nodes. */
export type BatchSpec = { readonly kind: 'count'; readonly count: number } | { readonly kind: 'percent'; readonly percent: number };

export function parseBatchSpec(text: string | number): BatchSpec {
  const s = String(text).trim();
  const percent = /^(\d+)%$/.exec(s);
  if (percent) {
    const p = Number(percent[1]);
    if (p >= 1 && p <= 100) return { kind: 'percent', percent: p };
  } else if (/^\d+$/.test(s) && Number(s) >= 1) {
    return { kind: 'count', count: Number(s) };
  }
  throw new UsageError(`--batch ${s}: expected a node count (1, 2, …) or a percentage from 1% to 100% (25%)`);
}

/**
 * Nodes of one role taken out of service at once: at least one, never the whole role unless it has a single
 * node (the others keep serving), and never more than the role's `upgrade.maxBatch` (role.yaml).
 */
export function batchSize(spec: BatchSpec, policy: UpgradePolicy, roleSize: number): number {
  if (roleSize <= 1) return 1;
  const wanted = spec.kind === 'count' ? spec.count : Math.ceil((roleSize * spec.percent) / 100);
  return Math.max(1, Math.min(wanted, roleSize - 1, policy.maxBatch ?? Infinity));
}

/** A node of a rolling change, with what its role's definition says about order and batch size. */
export interface RollingNode {
  readonly node: NodeRef;
  readonly datacenter: string | null;
  readonly runtime: Pick<ResolvedRuntime, 'dependsOn' | 'upgrade'>;
}

export interface RollingBatch {
  /** `gateway batch 2/3`, `dc-east: control-plane batch 1/2`. */
  readonly label: string;
  readonly datacenter: string | null;
  readonly role: RoleName;
  readonly nodes: readonly NodeRef[];
}

export interface RollingOptions {
  readonly batch: BatchSpec;
  /** Datacenter names in inventory order (the primary first); nodes outside any come first. */
  readonly datacenters: readonly string[];
  /** Rollback: dependants first (gateways before control planes), datacenters last to first. */
  readonly reverse?: boolean;
  /** Nodes the role has in a datacenter, counting those already done (default: those given). */
  readonly roleSize?: (role: RoleName, datacenter: string | null) => number;
}

/**
 * The order of a rolling change: one datacenter at a time, inside it the roles by dependency layer (roles of a
 * layer one after the other, in ROLE_NAMES order), inside a role batches of `batchSize` nodes in inventory order.
 */
export function rollingBatches(nodes: readonly RollingNode[], opts: RollingOptions): RollingBatch[] {
  const dcOrder: (string | null)[] = [null, ...opts.datacenters];
  const batches: RollingBatch[] = [];
  for (const dc of opts.reverse ? [...dcOrder].reverse() : dcOrder) {
    const inDc = nodes.filter((n) => n.datacenter === dc);
    if (inDc.length === 0) continue;
    const policy = new Map(inDc.map((n) => [n.node.role, n.runtime] as const));
    const roles = roleLayers([...policy.keys()], (r) => policy.get(r)?.dependsOn ?? []).flat();
    for (const role of opts.reverse ? roles.reverse() : roles) {
      const members = inDc.filter((n) => n.node.role === role).map((n) => n.node);
      const size = Math.min(batchSize(opts.batch, policy.get(role)!.upgrade, opts.roleSize?.(role, dc) ?? members.length), members.length);
      const count = Math.ceil(members.length / size);
      for (let i = 0; i < count; i++) {
        batches.push({
          label: `${dc ? `${dc}: ` : ''}${role} batch ${i + 1}/${count}`,
          datacenter: dc,
          role,
          nodes: members.slice(i * size, (i + 1) * size),
        });
      }
    }
  }
  return batches;
}
