import { ConfigError } from '../errors.js';
import type { DistributionKind } from '../model/inventory.js';
import type { DatabaseName, RoleDefinition, ShippedTables, Wso2ServerDefinition, Wso2Variant } from '../model/role.js';
import { satisfies } from './semver.js';

/** The start variant for an APIM version: the first whose range matches, else undefined. */
export function findWso2Variant(role: RoleDefinition, apimVersion: string): Wso2Variant | undefined {
  return role.runtime.kind === 'wso2' ? role.runtime.variants.find((x) => satisfies(apimVersion, x.versions)) : undefined;
}

/** The start variant for an APIM version: the first whose range matches, else a ConfigError. */
export function wso2Variant(role: RoleDefinition, apimVersion: string): Wso2Variant {
  if (role.runtime.kind !== 'wso2') throw new Error(`${role.name} is not a WSO2 role`);
  const v = findWso2Variant(role, apimVersion);
  if (!v) {
    const ranges = role.runtime.variants.map((x) => x.versions).join(' | ');
    throw new ConfigError(`role ${role.name} has no start variant for APIM ${apimVersion} (supported: ${ranges})`, [], 'Set apim.version to a supported version.');
  }
  return v;
}


/** True for roles that run a WSO2 server (they take port offsets, admin credentials and a distribution). */
export function isWso2Role(role: RoleDefinition): boolean {
  return role.runtime.kind === 'wso2';
}

/** What every WSO2 server role shares (roles/wso2-server.yaml), from any WSO2 role of the catalog. */
export function wso2Server(catalog: Readonly<Record<string, RoleDefinition>>): Wso2ServerDefinition {
  for (const role of Object.values(catalog)) if (role.runtime.kind === 'wso2') return role.runtime.server;
  throw new Error('the role catalog has no WSO2 server role');
}

/** The distribution `role` runs at `apimVersion` (undefined for service roles and versions it has no variant for). */
export function distributionOf(role: RoleDefinition, apimVersion: string): DistributionKind | undefined {
  return findWso2Variant(role, apimVersion)?.distribution;
}

/** The shared databases `role`'s deployment.toml names at `apimVersion` (role.yaml `databases`, first matching range). */
export function databasesAt(role: RoleDefinition, apimVersion: string): readonly DatabaseName[] {
  return role.databases.find((d) => satisfies(apimVersion, d.versions))?.names ?? [];
}

/** The shipped deployment.toml tables `role` keeps at `apimVersion` (role.yaml `shipped`, every matching entry, merged). */
export function shippedAt(role: RoleDefinition, apimVersion: string): Pick<ShippedTables, 'tables' | 'arrays'> {
  const tables: Record<string, ShippedTables['tables'][string]> = {};
  const arrays: Record<string, ShippedTables['arrays'][string]> = {};
  for (const entry of role.shipped.filter((s) => satisfies(apimVersion, s.versions))) {
    for (const [name, keys] of Object.entries(entry.tables)) tables[name] = { ...tables[name], ...keys };
    for (const [name, items] of Object.entries(entry.arrays)) arrays[name] = items;
  }
  return { tables, arrays };
}
