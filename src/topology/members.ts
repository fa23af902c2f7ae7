import type { RoleCatalog } from '../catalog/roles.js';
import { nodeOf, type HostSpec, type Inventory, type NodeSpec, type RoleName } from '../model/inventory.js';

/** One WSO2/service node as other nodes see it. */
export interface Member {
  readonly host: HostSpec;
  readonly node: NodeSpec;
  readonly role: RoleName;
  readonly address: string;
  readonly offset: number;
  /** The role's port of that name (role.yaml `ports`) plus this node's offset. */
  port(name: string): number;
}

/**
 * The inventory indexed by datacenter and role, with the role definitions that give each node its ports.
 * Single-datacenter patterns have one datacenter, `null`. In multi-DC patterns the first datacenter is the central one.
 */
export class MemberIndex {
  readonly datacenters: readonly (string | null)[];
  readonly central: string | null;
  readonly #hosts: ReadonlyMap<string, HostSpec>;

  constructor(
    readonly inv: Inventory,
    readonly catalog: RoleCatalog,
  ) {
    this.#hosts = new Map(inv.hosts.map((h) => [h.name, h]));
    this.datacenters = inv.datacenters.length ? inv.datacenters.map((d) => d.name) : [null];
    this.central = this.datacenters[0] ?? null;
  }

  hostSpec(name: string): HostSpec {
    const h = this.#hosts.get(name);
    if (!h) throw new Error(`the inventory has no host "${name}"`);
    return h;
  }

  hostByNameOrAddress(nameOrAddress: string): HostSpec | undefined {
    return this.#hosts.get(nameOrAddress) ?? this.inv.hosts.find((h) => h.address === nameOrAddress);
  }

  /** Base port `name` of `role` (role.yaml `ports`), without any offset. */
  basePort(role: RoleName, name: string): number {
    const port = this.catalog[role].ports[name];
    if (port === undefined) throw new Error(`roles/${role}/role.yaml has no port named ${name}`);
    return port;
  }

  /** A load balancer port (ours, or an outside one assumed to expose the same ones). */
  lbPort(name: string): number {
    return this.basePort('load-balancer', name);
  }

  member(host: HostSpec, role: RoleName): Member {
    const node = nodeOf(this.inv, { host: host.name, role });
    return { host, node, role, address: host.address, offset: node.offset, port: (name) => this.basePort(role, name) + node.offset };
  }

  /** Nodes of `role` in datacenter `dc` (null = the whole inventory), in file order. */
  members(role: RoleName, dc: string | null): Member[] {
    const names =
      dc === null ? (this.inv.roles[role] ?? []) : (this.inv.datacenters.find((d) => d.name === dc)?.roles[role] ?? []);
    return names.map((n) => this.member(this.hostSpec(n), role));
  }

  /** The first non-empty role list, looking in `dc` first and then in the central datacenter. */
  firstPresent(roles: readonly RoleName[], dc: string | null): { dc: string | null; members: Member[] } {
    for (const where of dc === this.central ? [dc] : [dc, this.central]) {
      for (const role of roles) {
        const members = this.members(role, where);
        if (members.length) return { dc: where, members };
      }
    }
    return { dc, members: [] };
  }

  /** Every node of the inventory, in ROLE order per host file order. */
  allNodes(): { host: HostSpec; role: RoleName }[] {
    return this.inv.nodes.map((n) => ({ host: this.hostSpec(n.host), role: n.role }));
  }
}

export const sameNode = (a: Member, b: { host: HostSpec; role: RoleName }): boolean =>
  a.host.name === b.host.name && a.role === b.role;
