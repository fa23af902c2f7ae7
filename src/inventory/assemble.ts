import { ROLE_NAMES, type Inventory, type NodeSpec, type RoleName } from '../model/inventory.js';
import { isSecret, type Secret } from '../model/secret.js';
import type { NodeVars } from '../model/vars.js';
import type { HostDraft } from './hosts.js';
import type { LayoutDraft } from './layout.js';
import type { DraftNode } from './nodes.js';
import type { Vars } from './variables.js';

export interface AssembleInput {
  readonly file: string;
  readonly name: string;
  readonly pattern: Inventory['pattern'];
  readonly apim: Inventory['apim'];
  readonly hosts: ReadonlyMap<string, HostDraft>;
  readonly layouts: readonly LayoutDraft[];
  readonly hostRoles: ReadonlyMap<string, readonly RoleName[]>;
  readonly nodes: readonly DraftNode[];
  /** Every checked `vars:` layer, for the list of secrets. */
  readonly layers: readonly Vars[];
  readonly warnings: Inventory['warnings'];
  readonly green: NonNullable<Inventory['green']>;
}

/** Builds the normalized Inventory from checked parts (no checks here: they all ran before). */
export function assemble(input: AssembleInput): Inventory {
  // A host that plays no role is only a jump host (layout.ts allows nothing else): it lives on in the proxyJump of
  // the hosts behind it, and no command connects to it as a target.
  const hosts = [...input.hosts.values()].filter((h) => (input.hostRoles.get(h.name) ?? []).length > 0).map(({ vars: _vars, portOffsets: _offsets, ...h }) => ({
    ...h,
    datacenter: input.nodes.find((n) => n.host === h.name)?.layout.datacenter,
    roles: input.hostRoles.get(h.name) ?? [],
  }));
  const roles: Partial<Record<RoleName, string[]>> = {};
  for (const role of ROLE_NAMES) {
    const list = input.layouts.flatMap((l) => l.roles[role] ?? []);
    if (list.length > 0) roles[role] = list;
  }
  const datacenters = input.layouts
    .filter((l) => l.datacenter !== undefined)
    .map((l) => ({ name: l.datacenter!, roles: l.roles, pos: l.pos }));
  // Validated by the rules: every value has the kind VARIABLES gives it, and what may be null is typed so.
  const nodes: NodeSpec[] = input.nodes.map((n) => ({
    host: n.host, role: n.role, datacenter: n.layout.datacenter ?? null, offset: n.offset, vars: n.vars.values as unknown as NodeVars,
    ...(n.vars.origin.has('service_manager') ? {} : { serviceManagerDefaulted: true }),
  }));
  const secrets = new Set<Secret>();
  const collect = (v: unknown): void => {
    if (isSecret(v)) secrets.add(v);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(collect);
  };
  for (const vars of input.layers) collect(vars);
  for (const h of input.hosts.values()) collect([h.become?.password, h.sshKeyPassphrase]);
  for (const n of nodes) collect(n.vars);
  return {
    file: input.file, name: input.name, pattern: input.pattern, apim: input.apim, hosts, roles, datacenters, nodes,
    ...(input.green.length > 0 ? { green: input.green } : {}), secrets: [...secrets], warnings: input.warnings,
  };
}
