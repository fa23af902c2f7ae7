import type { RoleCatalog } from '../catalog/roles.js';
import { isWso2Role } from '../catalog/variants.js';
import { ROLE_NAMES, type RoleName } from '../model/inventory.js';
import type { HostDraft } from './hosts.js';
import type { LayoutDraft } from './layout.js';
import { resolveVars, type Layer, type ResolvedVars } from './node-vars.js';
import type { LayoutFacts, Vars } from './variables.js';

/** A node (a host playing a role) before the pattern rules ran: its layout, offset and resolved variables. */
export interface DraftNode {
  readonly host: string;
  readonly role: RoleName;
  readonly layout: LayoutDraft;
  readonly offset: number;
  readonly vars: ResolvedVars;
}

/**
 * Layouts that share one database definition: each datacenter that sets its own `database` is one group, all the
 * others share the one in `vars`.
 */
export function databaseGroups(layouts: readonly LayoutDraft[]): LayoutDraft[][] {
  const own = layouts.filter((l) => l.vars['database'] !== undefined);
  const rest = layouts.filter((l) => l.vars['database'] === undefined);
  return [...own.map((l) => [l]), ...(rest.length > 0 ? [rest] : [])];
}

export interface NodeInputs {
  readonly hosts: ReadonlyMap<string, HostDraft>;
  readonly layouts: readonly LayoutDraft[];
  readonly vars: Vars;
  readonly roleVars: Readonly<Partial<Record<RoleName, Vars>>>;
  readonly h2Allowed: boolean;
  readonly catalog: RoleCatalog;
}

/** Every node, hosts in file order and each host's roles in ROLE_NAMES order, with its variables resolved once. */
export function draftNodes(input: NodeInputs): DraftNode[] {
  const facts = layoutFacts(input);
  const out: DraftNode[] = [];
  for (const host of input.hosts.values()) {
    for (const role of ROLE_NAMES) {
      const layout = input.layouts.find((l) => l.roles[role]?.includes(host.name));
      if (!layout) continue;
      const layers: Layer[] = [{ at: ['vars'], vars: input.vars }];
      const roleVars = input.roleVars[role];
      if (roleVars) layers.push({ at: ['role_vars', role], vars: roleVars });
      if (layout.datacenter !== undefined) layers.push({ at: [...layout.at.slice(0, -1), 'vars'], vars: layout.vars });
      layers.push({ at: ['hosts', host.name, 'vars'], vars: host.vars });
      const offset = isWso2Role(input.catalog[role]) ? (host.portOffsets[role] ?? 0) : 0;
      out.push({ host: host.name, role, layout, offset, vars: resolveVars(layers, facts.get(layout)!) });
    }
  }
  return out;
}

/** What each layout's defaults depend on: its database group's hosts, and whether h2 is the default database. */
function layoutFacts(input: NodeInputs): Map<LayoutDraft, LayoutFacts> {
  let wso2Nodes = 0;
  for (const l of input.layouts) for (const [role, hosts] of Object.entries(l.roles)) if (isWso2Role(input.catalog[role as RoleName])) wso2Nodes += hosts.length;
  const out = new Map<LayoutDraft, LayoutFacts>();
  for (const group of databaseGroups(input.layouts)) {
    const databaseHosts = group.flatMap((l) => l.roles.database ?? []);
    // Only where no database is written at all: a written one without a type is an error, not h2.
    const unwritten = input.vars['database'] === undefined && group.every((l) => l.vars['database'] === undefined);
    for (const l of group) out.set(l, { databaseHosts, h2ByDefault: unwritten && input.h2Allowed && wso2Nodes <= 1 });
  }
  return out;
}
