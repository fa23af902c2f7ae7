import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, type ConfigIssue } from '../errors.js';
import { cachedByIdentity, identityCacheFile } from '../files/identity-cache.js';
import { ROLE_NAMES, type RoleName } from '../model/inventory.js';
import type { RoleDefinition, Wso2ServerDefinition } from '../model/role.js';
import { checkShape } from '../yaml/shape-check.js';
import { YamlSource, type DocPath } from '../yaml/source.js';
import { catalogCodeFiles } from './catalog-cache.js';
import { unknownPlaceholders } from './placeholders.js';
import { roleSchemas } from './role-schema.js';
import { withSharedSetups } from './shared-setups.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const ROLES_DIR = join(REPO_ROOT, 'roles');
export const TEMPLATES_DIR = join(REPO_ROOT, 'templates');
/** What every WSO2 server role shares, beside the role folders. */
export const WSO2_SERVER_FILE = 'wso2-server.yaml';

export type RoleCatalog = Readonly<Record<RoleName, RoleDefinition>>;

/** Load and validate one role.yaml. Throws ConfigError listing every issue with file:line:col. */
export function loadRoleFile(file: string, templatesDir = TEMPLATES_DIR, server = loadWso2Server(join(ROLES_DIR, WSO2_SERVER_FILE))): RoleDefinition {
  const src = new YamlSource(file, readFileSync(file, 'utf8'));
  const expanded = src.issues.length === 0 ? withSharedSetups(src.toJS(), server, src) : undefined;
  const written = src.issues.length === 0 ? checkShape(roleSchemas().roleFileSchema, expanded, src) : undefined;
  if (!written) throw roleError(file, src.issues);
  const role: RoleDefinition = {
    ...written,
    runtime: written.runtime.kind === 'wso2' ? { ...written.runtime, server } : written.runtime,
    file,
  };
  semanticChecks(role, src, templatesDir);
  if (src.issues.length) throw roleError(file, src.issues);
  return role;
}

/** roles/wso2-server.yaml, validated. */
export function loadWso2Server(file: string): Wso2ServerDefinition {
  if (!existsSync(file)) throw roleError(file, [{ file, line: 1, col: 1, path: '', message: 'missing: it defines what every WSO2 server role shares' }]);
  const src = new YamlSource(file, readFileSync(file, 'utf8'));
  const written = src.issues.length === 0 ? checkShape(roleSchemas().wso2ServerSchema, src.toJS(), src) : undefined;
  if (written) {
    walkStrings(written, [], (text, path) => {
      for (const bad of unknownPlaceholders(text, [])) src.add(path, `unknown placeholder ${bad} (see PLACEHOLDERS in src/catalog/placeholders.ts)`);
    });
  }
  if (!written || src.issues.length) throw roleError(file, src.issues);
  return { ...written, file };
}

/** Load every role under `rolesDir` (one folder per role, as named in ROLE_NAMES). */
export function loadRoleCatalog(rolesDir = ROLES_DIR, templatesDir = TEMPLATES_DIR): RoleCatalog {
  const issues: ConfigIssue[] = [];
  const catalog: Partial<Record<RoleName, RoleDefinition>> = {};
  const collect = (e: unknown): void => {
    if (e instanceof ConfigError) issues.push(...e.issues);
    else throw e;
  };
  let server: Wso2ServerDefinition | undefined;
  try {
    server = loadWso2Server(join(rolesDir, WSO2_SERVER_FILE));
  } catch (e) {
    collect(e);
  }
  for (const name of ROLE_NAMES) {
    const file = join(rolesDir, name, 'role.yaml');
    if (!existsSync(file)) {
      issues.push({ file, line: 1, col: 1, path: '', message: `missing role definition for "${name}"` });
      continue;
    }
    try {
      if (server) catalog[name] = loadRoleFile(file, templatesDir, server);
    } catch (e) {
      collect(e);
    }
  }
  const extra = readdirSync(rolesDir).filter((d) => d !== WSO2_SERVER_FILE && !(ROLE_NAMES as readonly string[]).includes(d));
  for (const d of extra) {
    issues.push({ file: join(rolesDir, d), line: 1, col: 1, path: '', message: `unknown role folder "${d}"` });
  }
  if (issues.length) throw roleError(rolesDir, issues);
  return catalog as RoleCatalog;
}

/**
 * loadRoleCatalog, answered from the cache between runs while the role files, the templates they name, the folder
 * listing and the code that checks them are unchanged (src/files/identity-cache.ts). A broken file is never cached:
 * its errors, with file:line, come from loadRoleCatalog on every run.
 */
export function cachedRoleCatalog(rolesDir = ROLES_DIR, templatesDir = TEMPLATES_DIR, cacheFile = identityCacheFile('role-catalog', rolesDir)): RoleCatalog {
  const inputs = [rolesDir, join(rolesDir, WSO2_SERVER_FILE), ...ROLE_NAMES.map((n) => join(rolesDir, n, 'role.yaml')), templatesDir, ...catalogCodeFiles()];
  return cachedByIdentity(cacheFile, inputs, () => {
    const value = loadRoleCatalog(rolesDir, templatesDir);
    return { value, deps: Object.values(value).flatMap((r) => r.files.map((f) => join(templatesDir, f.template))) };
  });
}

let cached: RoleCatalog | undefined;
/** The repository's role catalog, loaded once per process (from the cache when nothing changed since the last). */
export function defaultRoleCatalog(): RoleCatalog {
  cached ??= cachedRoleCatalog();
  return cached;
}

function roleError(where: string, issues: readonly ConfigIssue[]): ConfigError {
  return new ConfigError(
    `invalid role definition (${issues.length} problem${issues.length === 1 ? '' : 's'}) in ${where}`,
    issues,
    'Fix roles/<role>/role.yaml; the fields are described in src/model/role.ts.',
  );
}

/** Checks zod cannot express: folder name, placeholders and port names, template files, dependency names. */
function semanticChecks(role: RoleDefinition, src: YamlSource, templatesDir: string): void {
  const folder = dirname(role.file).split(/[\\/]/).pop();
  if (folder !== role.name) src.add(['name'], `must equal its folder name "${folder}"`);
  if (role.dependsOn.includes(role.name)) src.add(['dependsOn'], 'a role cannot depend on itself');
  role.files.forEach((f, i) => {
    if (!existsSync(join(templatesDir, f.template))) src.add(['files', i, 'template'], `template not found: templates/${f.template}`);
    // One dest per item: without {region} every item would overwrite the same file.
    if ((f.each !== undefined) !== /\{region(_lower)?\}/.test(f.dest)) {
      src.add(['files', i, 'dest'], f.each ? 'a file rendered per item (each:) must name the item in dest with {region}' : '{region} names the item of a file rendered per item: add each: crossRegionPeer, or drop it');
    }
  });
  if (role.runtime.kind === 'wso2') {
    const server = role.runtime.server;
    role.runtime.variants.forEach((v, i) => {
      if (!Object.hasOwn(server.distributions, v.distribution)) {
        src.add(['runtime', 'variants', i, 'distribution'], `distribution '${v.distribution}' is not listed under distributions: in ${WSO2_SERVER_FILE}`);
      }
    });
  }
  const portNames = Object.keys(role.ports);
  role.health.checks.forEach((c, i) => {
    if (c.kind === 'tcp' && typeof c.port === 'string' && !portNames.includes(c.port)) {
      src.add(['health', 'checks', i, 'port'], `'${c.port}' is not one of this role's ports: ${portNames.join(', ')}`);
    }
  });
  // Every string anywhere in the file may hold placeholders: check them all.
  walkStrings(src.toJS(), [], (text, path) => {
    for (const bad of unknownPlaceholders(text, portNames)) {
      src.add(path, `unknown placeholder ${bad} (see PLACEHOLDERS in src/catalog/placeholders.ts; ports: ${portNames.join(', ')})`);
    }
  });
}

function walkStrings(value: unknown, path: DocPath, visit: (text: string, path: DocPath) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, [...path, i], visit));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walkStrings(v, [...path, k], visit);
  }
}
