import { existsSync, readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { getPattern, loadPatternCatalog } from '../catalog/patterns.js';
import { ConfigError } from '../errors.js';
import { ROLE_NAMES, type Inventory, type RoleName, type VarValue, type Vars } from '../model/inventory.js';
import { defaultEnvFile, readDotenv } from '../secrets/dotenv.js';
import { checkArtifacts, checkVersion } from './artifacts.js';
import { fillGlobalDefaults, fillPublicHostnames } from './defaults.js';
import { didYouMean } from './did-you-mean.js';
import { normalizeHosts } from './hosts.js';
import { readLayouts } from './layout.js';
import { INVENTORY_NAME } from './names.js';
import { assemble } from './assemble.js';
import { runPatternRules } from './rules/index.js';
import { writtenInventory } from './schema.js';
import { checkShape } from './shape-check.js';
import { YamlSource } from './source.js';
import { checkVars } from './variables.js';
import { checkReferencesOnlyInVars } from './stray-references.js';

export interface LoadOptions {
  /** Dotenv file with the secrets; default: the inventory path with .yaml replaced by .env. */
  readonly envFile?: string;
  /** Check that distribution, JDK and driver files exist (default true; `render` of examples may turn it off). */
  readonly requireArtifacts?: boolean;
}

/**
 * Reads, checks and normalizes an inventory. Every problem is collected and thrown at once as one
 * ConfigError whose issues carry file:line:col and a dotted path. Never touches a host or process.env.
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
  const w = checkShape(writtenInventory, src.toJS() ?? {}, src);
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
  const vars = checkVars(w.vars, ['vars'], src, env) as Record<string, VarValue>;
  const roleVars: Partial<Record<RoleName, Vars>> = {};
  for (const [role, raw] of Object.entries(w.role_vars ?? {})) {
    if ((ROLE_NAMES as readonly string[]).includes(role)) roleVars[role as RoleName] = checkVars(raw, ['role_vars', role], src, env);
    else src.add(['role_vars', role], `unknown role '${role}'${didYouMean(role, ROLE_NAMES)}; roles are ${ROLE_NAMES.join(', ')}`, 'key');
  }
  const hosts = normalizeHosts(w, absolute, src, env);
  const layouts = readLayouts(w, pattern ? pattern.datacenters !== undefined : undefined, new Set(hosts.keys()), src, env);
  const hostRoles = new Map<string, RoleName[]>();
  for (const name of hosts.keys()) {
    hostRoles.set(name, ROLE_NAMES.filter((r) => layouts.some((l) => l.roles[r]?.includes(name))));
  }
  if (pattern) runPatternRules({ src, pattern, hosts, layouts, hostRoles, vars, roleVars });

  const version = checkVersion(w.apim.version, src);
  const rolesInUse = new Set([...hostRoles.values()].flat());
  const apim = checkArtifacts(w, absolute, version, rolesInUse, src, opts.requireArtifacts ?? true);
  if (src.issues.length > 0 || !pattern) return fail();

  fillGlobalDefaults(vars);
  fillPublicHostnames(layouts, hosts, vars);
  return assemble({ file: absolute, name: w.name, pattern: pattern.id, apim, hosts, layouts, hostRoles, vars, roleVars });
}

/** Relative to the working directory when inside it (as the operator typed it), else absolute. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}
