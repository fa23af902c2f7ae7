import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, type ConfigIssue } from '../errors.js';
import { ROLE_NAMES, type RoleName } from '../model/inventory.js';
import type { RoleDefinition } from '../model/role.js';
import { unknownPlaceholders } from './placeholders.js';
import { roleFileSchema } from './role-schema.js';
import { parsePositionedYaml, type PositionedYaml } from './yaml-issues.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const ROLES_DIR = join(REPO_ROOT, 'roles');
export const TEMPLATES_DIR = join(REPO_ROOT, 'templates');

export type RoleCatalog = Readonly<Record<RoleName, RoleDefinition>>;

/** Load and validate one role.yaml. Throws ConfigError listing every issue with file:line:col. */
export function loadRoleFile(file: string, templatesDir = TEMPLATES_DIR): RoleDefinition {
  const yaml = parsePositionedYaml(file, readFileSync(file, 'utf8'));
  if (yaml.syntaxIssues.length) throw roleError(file, yaml.syntaxIssues);
  const parsed = roleFileSchema.safeParse(yaml.data);
  if (!parsed.success) {
    throw roleError(
      file,
      parsed.error.issues.map((i) => yaml.issueAt(i.path, i.message)),
    );
  }
  const role: RoleDefinition = { ...parsed.data, file };
  const issues = semanticIssues(role, yaml, templatesDir);
  if (issues.length) throw roleError(file, issues);
  return role;
}

/** Load every role under `rolesDir` (one folder per role, as named in ROLE_NAMES). */
export function loadRoleCatalog(rolesDir = ROLES_DIR, templatesDir = TEMPLATES_DIR): RoleCatalog {
  const issues: ConfigIssue[] = [];
  const catalog: Partial<Record<RoleName, RoleDefinition>> = {};
  for (const name of ROLE_NAMES) {
    const file = join(rolesDir, name, 'role.yaml');
    if (!existsSync(file)) {
      issues.push({ file, line: 1, col: 1, path: '', message: `missing role definition for "${name}"` });
      continue;
    }
    try {
      catalog[name] = loadRoleFile(file, templatesDir);
    } catch (e) {
      if (e instanceof ConfigError) issues.push(...e.issues);
      else throw e;
    }
  }
  const extra = readdirSync(rolesDir).filter((d) => !(ROLE_NAMES as readonly string[]).includes(d));
  for (const d of extra) {
    issues.push({ file: join(rolesDir, d), line: 1, col: 1, path: '', message: `unknown role folder "${d}"` });
  }
  if (issues.length) throw roleError(rolesDir, issues);
  return catalog as RoleCatalog;
}

let cached: RoleCatalog | undefined;
/** The repository's role catalog, loaded once per process. */
export function defaultRoleCatalog(): RoleCatalog {
  cached ??= loadRoleCatalog();
  return cached;
}

function roleError(where: string, issues: readonly ConfigIssue[]): ConfigError {
  return new ConfigError(
    `invalid role definition (${issues.length} problem${issues.length === 1 ? '' : 's'}) in ${where}`,
    issues,
    'Fix roles/<role>/role.yaml; the fields are described in src/model/role.ts.',
  );
}

/** Checks zod cannot express: folder name, placeholders, template files, dependency names. */
function semanticIssues(role: RoleDefinition, yaml: PositionedYaml, templatesDir: string): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const folder = dirname(role.file).split(/[\\/]/).pop();
  if (folder !== role.name) issues.push(yaml.issueAt(['name'], `must equal its folder name "${folder}"`));
  if (role.dependsOn.includes(role.name)) issues.push(yaml.issueAt(['dependsOn'], 'a role cannot depend on itself'));
  role.files.forEach((f, i) => {
    if (!existsSync(join(templatesDir, f.template))) {
      issues.push(yaml.issueAt(['files', i, 'template'], `template not found: templates/${f.template}`));
    }
  });
  // Every string anywhere in the file may hold placeholders: check them all.
  walkStrings(yaml.data, [], (text, path) => {
    for (const bad of unknownPlaceholders(text)) {
      issues.push(yaml.issueAt(path, `unknown placeholder ${bad} (see PLACEHOLDERS in src/catalog/placeholders.ts)`));
    }
  });
  return issues;
}

function walkStrings(value: unknown, path: PropertyKey[], visit: (text: string, path: PropertyKey[]) => void): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, [...path, i], visit));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walkStrings(v, [...path, k], visit);
  }
}
