import { ConfigError } from '../errors.js';
import type { HostSpec, Inventory, RoleName } from '../model/inventory.js';

/** One WSO2/service node as other nodes see it. */
export interface Member {
  readonly host: HostSpec;
  readonly role: RoleName;
  readonly address: string;
  readonly offset: number;
  /** Base port + this node's offset. */
  port(base: number): number;
}

/**
 * The inventory indexed by datacenter and role. Single-datacenter patterns have one datacenter, `null`.
 * In multi-DC patterns the first datacenter is the central one.
 */
export class MemberIndex {
  readonly datacenters: readonly (string | null)[];
  readonly central: string | null;
  readonly #hosts: ReadonlyMap<string, HostSpec>;

  constructor(readonly inv: Inventory) {
    this.#hosts = new Map(inv.hosts.map((h) => [h.name, h]));
    this.datacenters = inv.datacenters.length ? inv.datacenters.map((d) => d.name) : [null];
    this.central = this.datacenters[0] ?? null;
  }

  hostSpec(name: string): HostSpec {
    const h = this.#hosts.get(name);
    if (!h) throw new ConfigError(`role list names host "${name}", which is not under hosts:`);
    return h;
  }

  hostByNameOrAddress(nameOrAddress: string): HostSpec | undefined {
    return this.#hosts.get(nameOrAddress) ?? this.inv.hosts.find((h) => h.address === nameOrAddress);
  }

  member(host: HostSpec, role: RoleName): Member {
    const offset = host.portOffsets[role] ?? 0;
    return { host, role, address: host.address, offset, port: (base) => base + offset };
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
    return this.inv.hosts.flatMap((host) => host.roles.map((role) => ({ host, role })));
  }
}

export const sameNode = (a: Member, b: { host: HostSpec; role: RoleName }): boolean =>
  a.host.name === b.host.name && a.role === b.role;
