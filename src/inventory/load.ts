import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { getPattern, loadPatternCatalog } from '../catalog/patterns.js';
import { defaultRoleCatalog, type RoleCatalog } from '../catalog/roles.js';
import { ConfigError } from '../errors.js';
import { ROLE_NAMES, type Inventory, type RoleName } from '../model/inventory.js';
import { defaultEnvFile, readDotenv } from '../secrets/dotenv.js';
import { didYouMean } from '../yaml/did-you-mean.js';
import { checkShape } from '../yaml/shape-check.js';
import { YamlSource } from '../yaml/source.js';
import { checkArtifacts, checkVersion } from './artifacts.js';
import { assemble } from './assemble.js';
import { checkVars } from './check-vars.js';
import { jumpHostNames, readConnections } from './connection.js';
import { normalizeHosts } from './hosts.js';
import { readLayouts } from './layout.js';
import { INVENTORY_NAME } from './names.js';
import { draftNodes } from './nodes.js';
import { checkJdbcDriver } from './rules/database.js';
import { runPatternRules } from './rules/index.js';
import { REQUIRED_KEY_HINTS, writtenInventory } from './schema.js';
import { checkReferencesOnlyInVars } from './stray-references.js';
import type { Vars } from './variables.js';

export interface LoadOptions {
  /** Dotenv file with the secrets; default: the inventory path with .yaml replaced by .env. */
  readonly envFile?: string;
  /** Check that distribution, JDK and driver files exist (default true; `render` of examples may turn it off). */
  readonly requireArtifacts?: boolean;
  /** The role definitions (ports, distributions, which roles run WSO2); default: the repository's roles/. */
  readonly catalog?: RoleCatalog;
}

/**
 * Reads, checks and normalizes an inventory: the one place variables are layered and defaulted (see
 * src/inventory/variables.ts). Every problem is collected and thrown at once as one ConfigError whose issues carry
 * file:line:col and a dotted path. Never touches a host or process.env.
 */
export async function loadInventory(file: string, opts: LoadOptions = {}): Promise<Inventory> {
  const absolute = resolve(file);
  const display = shown(absolute);
  if (!existsSync(absolute)) {
    throw new ConfigError(`inventory file not found: ${display}`, [], 'pass the path of an inventory YAML file with -i');
  }
  const src = new YamlSource(display, readFileSync(absolute, 'utf8'));
  const fail = (): never => {
    throw new ConfigError(`${display}: ${src.issues.length} problem(s) in the inventory`, src.issues, `fix them, then run: apim-deploy validate -i ${display}`);
  };
  if (src.doc.errors.some((e) => e.code !== 'DUPLICATE_KEY')) fail();
  const w = checkShape(writtenInventory, src.toJS() ?? {}, src, REQUIRED_KEY_HINTS);
  if (!w) return fail();

  const envPath = resolve(opts.envFile ?? defaultEnvFile(absolute));
  const env = readDotenv(envPath, shown(envPath));
  checkReferencesOnlyInVars(w, src);
  if (!INVENTORY_NAME.test(w.name)) src.add(['name'], `'${w.name}' is not allowed: use ${INVENTORY_NAME.expected}`);

  const pattern = getPattern(String(w.pattern));
  if (!pattern) {
    const ids = loadPatternCatalog().map((p) => p.id);
    src.add(['pattern'], `unknown pattern '${String(w.pattern)}'${didYouMean(String(w.pattern), ids)}; patterns are ${ids.join(', ')}`);
  }
  const catalog = opts.catalog ?? defaultRoleCatalog();
  const vars = checkVars(w.vars, ['vars'], 'vars', src, env);
  const roleVars: Partial<Record<RoleName, Vars>> = {};
  for (const [role, raw] of Object.entries(w.role_vars ?? {})) {
    if ((ROLE_NAMES as readonly string[]).includes(role)) roleVars[role as RoleName] = checkVars(raw, ['role_vars', role], 'role', src, env);
    else src.add(['role_vars', role], `unknown role '${role}'${didYouMean(role, ROLE_NAMES)}; roles are ${ROLE_NAMES.join(', ')}`, 'key');
  }
  const drafts = normalizeHosts(w, src, env);
  const jumpHosts = jumpHostNames(w);
  const layouts = readLayouts(w, pattern ? pattern.datacenters !== undefined : undefined, new Set(drafts.keys()), src, env, jumpHosts);
  const datacenterOf = new Map(layouts.flatMap((l) => (l.datacenter === undefined ? [] : Object.values(l.roles).flat().map((h) => [h, l.datacenter!] as const))));
  const logins = readConnections({ w, file: absolute, src, env, hosts: drafts, datacenterOf });
  const hosts = new Map([...drafts].map(([name, d]) => [name, { ...d, ...logins.get(name) }]));
  const hostRoles = new Map<string, RoleName[]>();
  for (const name of hosts.keys()) {
    hostRoles.set(name, ROLE_NAMES.filter((r) => layouts.some((l) => l.roles[r]?.includes(name))));
  }
  const nodes = draftNodes({ hosts, layouts, vars, roleVars, h2Allowed: pattern?.h2Allowed ?? false, catalog });
  if (pattern) runPatternRules({ src, pattern, catalog, hosts, layouts, hostRoles, nodes, vars });

  const version = checkVersion(w.apim.version, catalog, src) ? w.apim.version : undefined;
  const rolesInUse = new Set([...hostRoles.values()].flat());
  const apim = checkArtifacts(w, absolute, { catalog, version, rolesInUse, requireFiles: opts.requireArtifacts ?? true }, src);
  checkJdbcDriver({ src, nodes, catalog }, version, w.apim.jdbc_driver !== undefined);
  if (src.issues.length > 0 || !pattern) return fail();

  const layers = [vars, ...Object.values(roleVars), ...layouts.map((l) => l.vars), ...[...hosts.values()].map((h) => h.vars)];
  return assemble({ file: absolute, name: w.name, pattern: pattern.id, apim, hosts, layouts, hostRoles, nodes, layers });
}

/** Relative to the working directory when inside it (as the operator typed it), else absolute. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}
