import { checkSecureVault } from './vault-checks.js';
import { readBounded, utf8Text } from '../files/bounded-read.js';
import { dirname, relative, resolve } from 'node:path';
import { getPattern, loadPatternCatalog } from '../catalog/patterns.js';
import { defaultRoleCatalog, type RoleCatalog } from '../catalog/roles.js';
import { databasesAt } from '../catalog/variants.js';
import { ConfigError, type ConfigIssue } from '../errors.js';
import { ROLE_NAMES, type Inventory, type RoleName } from '../model/inventory.js';
import { defaultEnvFile } from '../secrets/dotenv.js';
import { readSecrets, type SecretSources } from '../secrets/sources.js';
import { didYouMean } from '../model/did-you-mean.js';
import { checkShape } from '../yaml/shape-check.js';
import { YamlSource } from '../yaml/source.js';
import { checkArchives } from './archives.js';
import { checkArtifacts, checkVersion } from './artifacts.js';
import { assemble } from './assemble.js';
import { checkVars } from './check-vars.js';
import { jumpHostNames, readConnections } from './connection.js';
import { normalizeHosts } from './hosts.js';
import { readLayouts } from './layout.js';
import { INVENTORY_NAME } from './names.js';
import { readGreenHosts } from './green.js';
import { draftNodes } from './nodes.js';
import { checkPlaceholders, keepPlaceholderIssues } from './placeholders.js';
import { checkJdbcDriver } from './rules/database.js';
import { runPatternRules } from './rules/index.js';
import { checkTlsFiles } from './tls-files.js';
import { REQUIRED_KEY_HINTS, writtenInventory } from './schema.js';
import { checkReferencesOnlyInVars } from './stray-references.js';
import type { Vars } from './variables.js';
import { quoted } from '../yaml/shown.js';

export interface LoadOptions {
  /** Dotenv file with the secrets; default: the inventory path with .yaml replaced by .env. */
  readonly envFile?: string;
  /** Encrypted dotenv key and --env-from-process names (src/secrets/sources.ts). */
  readonly secrets?: SecretSources;
  /** Check that distribution, JDK and driver files exist (default true; `render` of examples may turn it off). */
  readonly requireArtifacts?: boolean;
  /** The role definitions (ports, distributions, which roles run WSO2); default: the repository's roles/. */
  readonly catalog?: RoleCatalog;
}

/**
 * Reads, checks and normalizes an inventory: the one place variables are layered and defaulted (see
 * src/inventory/variables.ts). Every problem is collected and thrown at once as one ConfigError whose issues carry
 * file:line:col and a dotted path. Never touches a host; reads process.env only for the variables the operator names
 * (--env-from-process, --env-key-from-process).
 */
export async function loadInventory(file: string, opts: LoadOptions = {}): Promise<Inventory> {
  const absolute = resolve(file);
  const display = shownInventoryPath(absolute);
  const src = new YamlSource(display, readInventoryText(absolute, display));
  const warnings: ConfigIssue[] = [];
  const fail = (): never => {
    throw new ConfigError(`${display}: ${src.issues.length} problem(s) in the inventory`, src.issues, `fix them, then run: apim-deploy validate -i ${display}`);
  };
  if (src.doc.errors.some((e) => e.code !== 'DUPLICATE_KEY') || src.reservedKeys > 0) fail();
  const data = src.toJS();
  if (data === undefined && src.issues.length > 0) fail();
  const atPlaceholder = checkPlaceholders(data, src);
  const w = checkShape(writtenInventory, data ?? {}, src, REQUIRED_KEY_HINTS);
  if (!w) {
    keepPlaceholderIssues(src, atPlaceholder);
    return fail();
  }

  const envPath = resolve(opts.envFile ?? defaultEnvFile(absolute));
  const env = readSecrets(envPath, shownInventoryPath(envPath), opts.secrets);
  warnings.push(...env.warnings);
  src.issues.push(...env.issues);
  checkReferencesOnlyInVars(w, src);
  if (!INVENTORY_NAME.test(w.name)) src.add(['name'], `${quoted(w.name)} is not allowed: use ${INVENTORY_NAME.expected}`);

  const pattern = getPattern(String(w.pattern));
  if (!pattern) {
    const ids = loadPatternCatalog().map((p) => p.id);
    src.add(['pattern'], `unknown pattern ${quoted(String(w.pattern))}${didYouMean(String(w.pattern), ids)}; patterns are ${ids.join(', ')}`);
  }
  const catalog = opts.catalog ?? defaultRoleCatalog();
  const vars = checkVars(w.vars, ['vars'], 'vars', src, env);
  const roleVars: Partial<Record<RoleName, Vars>> = {};
  for (const [role, raw] of Object.entries(w.role_vars ?? {})) {
    if ((ROLE_NAMES as readonly string[]).includes(role)) roleVars[role as RoleName] = checkVars(raw, ['role_vars', role], 'role', src, env);
    else src.add(['role_vars', role], `unknown role ${quoted(role)}${didYouMean(role, ROLE_NAMES)}; roles are ${ROLE_NAMES.join(', ')}`, 'key');
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
  const green = readGreenHosts({ w, src, catalog, hosts, hostRoles });
  warnings.push(...checkTlsFiles({ src, dir: dirname(absolute), nodes, hosts, catalog, now: new Date() }));
  warnings.push(...checkSecureVault(nodes, catalog, src));

  const version = checkVersion(w.apim.version, catalog, src) ? w.apim.version : undefined;
  const rolesInUse = new Set([...hostRoles.values()].flat());
  const requireFiles = opts.requireArtifacts ?? true;
  const { apim, needed } = checkArtifacts(w, absolute, { catalog, version, rolesInUse, requireFiles }, src);
  checkJdbcDriver({ src, nodes, catalog }, version, w.apim.jdbc_driver !== undefined);
  keepPlaceholderIssues(src, atPlaceholder);
  if (src.issues.length > 0 || !pattern) return fail();
  if (requireFiles && version) {
    await checkArchives(apim, { catalog, version, needed, driverUsed: [...rolesInUse].some((r) => databasesAt(catalog[r], version).length > 0) }, src);
    if (src.issues.length > 0) return fail();
  }

  const layers = [vars, ...Object.values(roleVars), ...layouts.map((l) => l.vars), ...[...hosts.values()].map((h) => h.vars)];
  return assemble({ file: absolute, name: w.name, pattern: pattern.id, apim, hosts, layouts, hostRoles, nodes, layers, warnings, green });
}

/** An inventory is a few KiB; anything past this is not one (and would only cost memory to parse). */
export const MAX_INVENTORY_BYTES = 1024 * 1024;

/** The inventory's text: a regular, readable UTF-8 file of at most MAX_INVENTORY_BYTES, checked before it is read. */
function readInventoryText(absolute: string, display: string): string {
  const read = readBounded(absolute, MAX_INVENTORY_BYTES);
  const hint = 'pass the path of an inventory YAML file with -i';
  if (!read.ok) {
    throw new ConfigError(read.reason === 'missing' ? `inventory file not found: ${display}` : `inventory ${display} ${read.message}`, [], hint);
  }
  const text = utf8Text(read.bytes);
  if (text === undefined) throw new ConfigError(`inventory ${display} is not UTF-8 text (a binary file?)`, [], hint);
  return text;
}

/** Relative to the working directory when inside it (as the operator typed it), else absolute. */
/** A path (the inventory, its dotenv file) as messages show it: relative to the working directory when inside it. */
export function shownInventoryPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}
