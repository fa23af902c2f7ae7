import { KEY_DOCS, VARIABLE_DOCS } from '../../inventory/reference-docs.js';
import { PRECEDENCE, SCOPE_LAYERS, VARIABLES, VARIABLE_NAMES, type ScalarKind } from '../../inventory/variables.js';
import { ROLE_NAMES, type PatternDefinition, type RoleName } from '../../model/inventory.js';
import { catalogFacts, patternRoles, type CatalogFacts } from './catalog-facts.js';
import { inventoryJsonSchema, staticDefault, VARS_BLOCKS, walk, type JsonSchema } from './json-schema.js';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (s: string): string => `\`${s}\``;
const patternName = (p: PatternDefinition) => (/^\d+$/.test(p.id) ? `pattern ${p.id}` : p.id);
const patternList = (ps: readonly PatternDefinition[], all: number) => (ps.length === all ? 'all' : ps.length === 0 ? 'none' : ps.map(patternName).join(', '));

/** The type column: what the JSON Schema allows, in words. */
function typeOf(node: JsonSchema): string {
  if (node.$ref) return 'variables (below)';
  if (Array.isArray(node.anyOf)) return (node.anyOf as JsonSchema[]).map(typeOf).join(' or ');
  const enumText = Array.isArray(node.enum) ? `one of ${(node.enum as unknown[]).map((v) => code(String(v))).join(', ')}` : '';
  if (enumText) return enumText;
  if (Array.isArray(node.type)) return (node.type as string[]).map((type) => typeOf({ ...node, type })).join(' or ');
  const t = String(node.type ?? 'any');
  if (t === 'integer') return `whole number ${String(node.minimum)}–${String(node.maximum)}`;
  if (t === 'object') {
    const keys = node.propertyNames as JsonSchema | undefined;
    return keys?.enum ? `mapping, keys: ${(keys.enum as string[]).map(code).join(', ')}` : 'mapping';
  }
  if (t === 'array') return 'list';
  return node.pattern ? `${t} matching ${code(String(node.pattern))}` : t;
}

function scalarText(kind: ScalarKind): string {
  switch (kind.kind) {
    case 'text': return `text: ${kind.rule.expected}`;
    case 'password': return 'password (`${NAME}` reads it from the dotenv file)';
    case 'enum': return `one of ${kind.values.map(code).join(', ')}`;
    case 'int': return `whole number ${kind.min}–${kind.max}`;
    case 'bool': return '`true` or `false`';
    case 'custom': return kind.text;
    case 'files': return 'list of `{ src, dest, dest_root, mode, owner, template }` (merged by destination across layers)';
    case 'toml': return 'mapping of deployment.toml keys (one entry per layer, merged in order)';
    case 'toml-keys': return 'list of dotted deployment.toml keys (every layer\'s list kept)';
    case 'jvm-options': return 'list of JVM options (every layer\'s list appended)';
  }
}

/** Which patterns a key concerns, derived from patterns/ and roles/ where the key is about roles or layouts. */
function keyPatterns(path: string, f: CatalogFacts): string {
  const all = f.patterns.length;
  if (path.startsWith('datacenters')) return patternList(f.patterns.filter((p) => p.datacenters), all);
  if (path === 'roles' || path.startsWith('roles.')) return patternList(f.patterns.filter((p) => p.layout), all);
  if (path.startsWith('hosts.<host>.port_offsets')) return patternList(f.patterns.filter((p) => patternRoles(p).some((r) => f.wso2Roles.includes(r))), all);
  return 'all';
}

function readersOf(readBy: readonly string[], f: CatalogFacts): RoleName[] {
  return ROLE_NAMES.filter((r) => readBy.includes(r) || (readBy.includes('wso2') && f.wso2Roles.includes(r)));
}

function keysSection(schema: JsonSchema, f: CatalogFacts): string[] {
  const rows: string[] = ['| key | type | required | default | patterns | description |', '|---|---|---|---|---|---|'];
  const required = new Set<string>();
  walk(schema, '', (node, path) => {
    for (const r of (node.required as string[] | undefined) ?? []) required.add(`${path}.${r}`);
  });
  for (const r of (schema.required as string[]) ?? []) required.add(r);
  walk(schema, '', (node, path) => {
    const doc = KEY_DOCS[path]!;
    const example = doc.example ? ` Example: ${code(doc.example)}` : '';
    const dflt = doc.defaultText ?? '';
    const req = path.includes('<') && !required.has(path) ? '' : required.has(path) ? 'yes' : '';
    rows.push(`| ${code(path)} | ${cell(typeOf(node))} | ${req} | ${cell(dflt)} | ${keyPatterns(path, f)} | ${cell(doc.summary + example)} |`);
  });
  return rows;
}

function variablesSection(f: CatalogFacts): string[] {
  const rows = ['| variable | holds | default | may be set in | read by | patterns | description |', '|---|---|---|---|---|---|---|'];
  const layersOf = (scope: keyof typeof SCOPE_LAYERS) => Object.entries(VARS_BLOCKS).filter(([, l]) => SCOPE_LAYERS[scope].includes(l)).map(([p]) => code(p)).join(', ');
  const defaultOf = (d: unknown, text?: string) => text ?? (staticDefault(d) !== undefined ? code(String(staticDefault(d))) : '');
  const row = (name: string, holds: string, dflt: string, where: string) => {
    const doc = VARIABLE_DOCS[name]!;
    const readers = readersOf(doc.readBy, f);
    const used = f.patterns.filter((p) => patternRoles(p).some((r) => readers.includes(r)));
    const example = doc.example ? ` Example: ${code(doc.example)}` : '';
    rows.push(`| ${code(name)} | ${cell(holds)} | ${cell(dflt)} | ${where} | ${readers.join(', ')} | ${patternList(used, f.patterns.length)} | ${cell(doc.summary + example)} |`);
  };
  for (const name of VARIABLE_NAMES) {
    const spec = VARIABLES[name];
    if (spec.kind.kind === 'object') {
      row(name, 'mapping (merged key by key across layers)', '', layersOf(spec.scope));
      for (const [field, fs] of Object.entries(spec.kind.fields)) {
        let holds = scalarText(fs.kind);
        if (name === 'database' && field === 'type') holds += `; \`h2\` only in ${f.patterns.filter((p) => p.h2Allowed).map(patternName).join(', ')}`;
        row(`${name}.${field}`, holds, defaultOf(fs.default, VARIABLE_DOCS[`${name}.${field}`]?.defaultText), layersOf(spec.scope));
      }
    } else {
      row(name, scalarText(spec.kind), defaultOf('default' in spec ? spec.default : undefined, VARIABLE_DOCS[name]?.defaultText), layersOf(spec.scope));
    }
  }
  return rows;
}

function catalogSection(f: CatalogFacts): string[] {
  const lines = ['## Patterns', '', '| pattern | title | roles (min–max) |', '|---|---|---|'];
  for (const p of f.patterns) {
    const layouts = p.layout ? [['', p.layout] as const] : p.datacenters ? [['central: ', p.datacenters.central] as const, ['regional: ', p.datacenters.regional] as const] : [];
    const roles = layouts.map(([label, l]) => label + Object.entries(l.roles).map(([r, c]) => `${r} ${c!.min}–${c!.max ?? 'n'}`).join(', ')).join('; ');
    lines.push(`| ${code(p.id)} | ${cell(p.title)} | ${cell(roles)} |`);
  }
  lines.push('', '## Roles', '', '| role | what it is | starts after | patterns |', '|---|---|---|---|');
  for (const r of ROLE_NAMES) lines.push(`| ${code(r)} | ${cell(f.summaries[r])} | ${f.dependsOn[r].join(', ') || '—'} | ${patternList(f.patternsWith(r), f.patterns.length)} |`);
  lines.push('', '## Distributions (`apim.distributions.<name>`)', '', `Supported APIM versions: ${code(f.versions)}. A pack is needed when a role in use runs it at apim.version.`, '',
    '| name | run by (versions) | patterns |', '|---|---|---|');
  for (const [pack, users] of f.packs) {
    const used = f.patterns.filter((p) => patternRoles(p).some((r) => users.some((u) => u.role === r)));
    lines.push(`| ${code(pack)} | ${users.map((u) => `${u.role} (${u.versions})`).join(', ')} | ${patternList(used, f.patterns.length)} |`);
  }
  return lines;
}

/** docs/inventory.md: every key and variable with its type, default, example and the patterns that use it. */
export function inventoryReferenceMarkdown(facts: CatalogFacts = catalogFacts(), schema: JsonSchema = inventoryJsonSchema(facts)): string {
  return [
    '# Inventory reference',
    '',
    '<!-- Generated by `npm run gen:docs` from src/inventory/schema.ts, src/inventory/variables.ts, src/inventory/reference-docs.ts, patterns/ and roles/. Do not edit: a unit test fails when it differs. -->',
    '',
    'An inventory is one YAML file per environment. `apim-deploy init --pattern P --out FILE` writes a commented one; `apim-deploy validate -i FILE` checks it.',
    'Editors with the YAML language server (VS Code\'s YAML extension, Neovim, IntelliJ) complete and check it against the shipped JSON Schema',
    'when the file starts with:',
    '',
    '```yaml',
    '# yaml-language-server: $schema=../schema/inventory.schema.json',
    '```',
    '',
    '(the path relative to the inventory; in an installed package: `$(npm root -g)/apim-deploy/schema/inventory.schema.json`). Unknown keys are errors.',
    '',
    '## Keys',
    '',
    ...keysSection(schema, facts),
    '',
    '## Variables',
    '',
    `Every node gets its variables once, when the inventory is loaded, each layer over the one before: the defaults < ${PRECEDENCE.map((l) => code(Object.entries(VARS_BLOCKS).find(([, k]) => k === l)![0])).join(' < ')}.`,
    'A later layer replaces a variable; a mapping (`database`, `public_hostname`) is merged key by key. Passwords may be written as `${NAME}`, read from the',
    'dotenv file beside the inventory (`eu-prod.yaml` → `eu-prod.env`) or `--env-file` (its values may be dotenvx-encrypted: `--env-key-file`),',
    'or from process variables named by `--env-from-process`; nothing else may.',
    '',
    ...variablesSection(facts),
    '',
    ...catalogSection(facts),
    '',
  ].join('\n');
}
