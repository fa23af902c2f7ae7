import { ROLE_NAMES, type Inventory, type RoleName, type VarValue, type Vars } from '../model/inventory.js';
import { isSecret, type Secret } from '../model/secret.js';
import type { HostDraft } from './hosts.js';
import type { LayoutDraft } from './layout.js';

export interface AssembleInput {
  readonly file: string;
  readonly name: string;
  readonly pattern: Inventory['pattern'];
  readonly apim: Inventory['apim'];
  readonly hosts: ReadonlyMap<string, HostDraft>;
  readonly layouts: readonly LayoutDraft[];
  readonly hostRoles: ReadonlyMap<string, readonly RoleName[]>;
  readonly vars: Vars;
  readonly roleVars: Readonly<Partial<Record<RoleName, Vars>>>;
}

/** Builds the normalized Inventory from checked parts (no checks here: they all ran before). */
export function assemble(input: AssembleInput): Inventory {
  const dcOf = new Map<string, string>();
  for (const l of input.layouts) {
    if (l.datacenter === undefined) continue;
    for (const hosts of Object.values(l.roles)) for (const h of hosts) dcOf.set(h, l.datacenter);
  }
  const hosts = [...input.hosts.values()].map((h) => ({ ...h, datacenter: dcOf.get(h.name), roles: input.hostRoles.get(h.name) ?? [] }));
  const roles: Partial<Record<RoleName, string[]>> = {};
  for (const role of ROLE_NAMES) {
    const list = input.layouts.flatMap((l) => l.roles[role] ?? []);
    if (list.length > 0) roles[role] = list;
  }
  const datacenters = input.layouts
    .filter((l) => l.datacenter !== undefined)
    .map((l) => ({ name: l.datacenter!, roles: l.roles, vars: l.vars, pos: l.pos }));
  const secrets = new Set<Secret>();
  const collect = (v: VarValue | undefined): void => {
    if (isSecret(v)) secrets.add(v);
    else if (Array.isArray(v)) v.forEach(collect);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(collect);
  };
  for (const vars of [input.vars, ...Object.values(input.roleVars), ...hosts.map((h) => h.vars), ...datacenters.map((d) => d.vars)]) {
    Object.values(vars ?? {}).forEach(collect);
  }
  return {
    file: input.file,
    name: input.name,
    pattern: input.pattern,
    apim: input.apim,
    hosts,
    roles,
    datacenters,
    vars: input.vars,
    roleVars: input.roleVars,
    secrets: [...secrets],
  };
}
