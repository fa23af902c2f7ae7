import { loadPatternCatalog } from '../../catalog/patterns.js';
import { defaultRoleCatalog } from '../../catalog/roles.js';
import { isWso2Role, wso2Server } from '../../catalog/variants.js';
import { ROLE_NAMES, type PatternDefinition, type RoleName } from '../../model/inventory.js';

/** What the reference says about patterns, roles and packs, read from patterns/*.yaml and roles/*\/role.yaml. */
export interface CatalogFacts {
  readonly patterns: readonly PatternDefinition[];
  readonly wso2Roles: readonly RoleName[];
  /** Pack name → the roles that run it and at which versions (role.yaml variants). */
  readonly packs: ReadonlyMap<string, readonly { readonly role: RoleName; readonly versions: string }[]>;
  readonly versions: string;
  readonly summaries: Readonly<Record<RoleName, string>>;
  readonly dependsOn: Readonly<Record<RoleName, readonly RoleName[]>>;
  /** Patterns whose layout (any datacenter) has this role. */
  patternsWith(role: RoleName): PatternDefinition[];
}

/** Every role a pattern may have (central and regional layouts of a multi-DC one included). */
export const patternRoles = (p: PatternDefinition): RoleName[] => {
  const layouts = p.layout ? [p.layout] : p.datacenters ? [p.datacenters.central, p.datacenters.regional] : [];
  return ROLE_NAMES.filter((r) => layouts.some((l) => l.roles[r] !== undefined));
};

export function catalogFacts(): CatalogFacts {
  const patterns = loadPatternCatalog();
  const catalog = defaultRoleCatalog();
  const packs = new Map<string, { role: RoleName; versions: string }[]>();
  for (const role of ROLE_NAMES) {
    const runtime = catalog[role].runtime;
    if (runtime.kind !== 'wso2') continue;
    for (const v of runtime.variants) packs.set(v.distribution, [...(packs.get(v.distribution) ?? []), { role, versions: v.versions }]);
  }
  return {
    patterns,
    wso2Roles: ROLE_NAMES.filter((r) => isWso2Role(catalog[r])),
    packs,
    versions: wso2Server(catalog).versions,
    summaries: Object.fromEntries(ROLE_NAMES.map((r) => [r, catalog[r].summary])) as Record<RoleName, string>,
    dependsOn: Object.fromEntries(ROLE_NAMES.map((r) => [r, catalog[r].dependsOn])) as Record<RoleName, readonly RoleName[]>,
    patternsWith: (role) => patterns.filter((p) => patternRoles(p).includes(role)),
  };
}
