import { z } from 'zod';
import { DROP_IN_ROOTS } from '../../inventory/drop-in-files.js';
import { ADDRESS, HOST_NAME, INVENTORY_NAME, SHA256, UNIX_NAME } from '../../inventory/names.js';
import { KEY_DOCS, VARIABLE_DOCS, type KeyDoc } from '../../inventory/reference-docs.js';
import { writtenInventory } from '../../inventory/schema.js';
import { SCOPE_LAYERS, VARIABLES, VARIABLE_NAMES, type LayerKind, type ScalarKind, type VarSpec } from '../../inventory/variables.js';
import { ROLE_NAMES } from '../../model/inventory.js';
import type { Secret } from '../../model/secret.js';
import { catalogFacts, type CatalogFacts } from './catalog-facts.js';

export type JsonSchema = { [key: string]: unknown };

/** The key each mapping (a zod record) is keyed by, as the reference writes it. */
const RECORD_KEYS: Readonly<Record<string, string>> = {
  'apim.distributions': '<name>', role_vars: '<role>', hosts: '<host>', 'hosts.<host>.port_offsets': '<role>', roles: '<role>',
  datacenters: '<dc>', 'datacenters.<dc>.roles': '<role>', green: '<host>',
};

/** The `vars:` blocks and the layer each one is (variables.ts decides which variables each layer may set). */
export const VARS_BLOCKS: Readonly<Record<string, LayerKind>> = {
  vars: 'vars', 'role_vars.<role>': 'role', 'datacenters.<dc>.vars': 'datacenter', 'hosts.<host>.vars': 'host',
};

export function keyDoc(path: string): KeyDoc {
  const doc = KEY_DOCS[path];
  if (!doc) throw new Error(`inventory key ${path} has no description: add it to src/inventory/reference-docs.ts`);
  return doc;
}

export function variableDoc(path: string): KeyDoc {
  const doc = VARIABLE_DOCS[path];
  if (!doc) throw new Error(`variable ${path} has no description: add it to VARIABLE_DOCS in src/inventory/reference-docs.ts`);
  return doc;
}

const isSecret = (v: unknown): v is Secret => typeof v === 'object' && v !== null && 'reveal' in v;

/** A static default as JSON (a shipped password is written as such: it is public); undefined for derived ones. */
export function staticDefault(d: unknown): unknown {
  if (d === null || typeof d === 'function') return undefined;
  return isSecret(d) ? d.reveal() : d;
}

/** `files:` entries (src/inventory/drop-in-files.ts). */
function dropInsSchema(): JsonSchema {
  return {
    type: 'array',
    items: {
      type: 'object', additionalProperties: false, required: ['src', 'dest'],
      properties: {
        src: { type: 'string', minLength: 1 }, dest: { type: 'string', minLength: 1 },
        dest_root: { type: 'string', enum: [...DROP_IN_ROOTS] }, mode: { type: 'string', pattern: '^0?[0-7]{3}$' },
        owner: { type: 'string' }, template: { type: 'boolean' },
      },
    },
  };
}

export function scalarSchema(kind: ScalarKind): JsonSchema {
  switch (kind.kind) {
    case 'text':
      // A text variable never takes a ${NAME} reference (only passwords do): the pattern keeps `$` out.
      return { type: 'string', pattern: kind.rule.pattern };
    case 'password':
      return { type: 'string', minLength: 1 };
    case 'enum':
      return { type: 'string', enum: [...kind.values] };
    case 'int':
      return { type: 'integer', minimum: kind.min, maximum: kind.max };
    case 'bool':
      return { type: 'boolean' };
    case 'custom':
      return { ...kind.schema } as JsonSchema;
    case 'files':
      return dropInsSchema();
    case 'toml':
      return { type: 'object' };
    case 'toml-keys':
      return { type: 'array', items: { type: 'string', minLength: 1 } };
    case 'jvm-options':
      return { type: 'array', items: { type: 'string', pattern: '^-[^\\s*?\\[]*$' } };
  }
}

/** The description an editor shows: the summary, a derived default, an example as one writes it in YAML. */
export const describeKey = (doc: KeyDoc): string =>
  [doc.summary, doc.defaultText ? `Default: ${doc.defaultText}.` : '', doc.example ? `Example: ${doc.example}` : ''].filter(Boolean).join(' ');

function described(schema: JsonSchema, doc: KeyDoc, dflt: unknown): JsonSchema {
  return { ...schema, description: describeKey(doc), ...(dflt !== undefined ? { default: dflt } : {}) };
}

function variableSchema(name: string, spec: VarSpec): JsonSchema {
  if (spec.kind.kind !== 'object') return described(scalarSchema(spec.kind), variableDoc(name), staticDefault('default' in spec ? spec.default : undefined));
  const properties = Object.fromEntries(Object.entries(spec.kind.fields).map(([field, f]) =>
    [field, described(scalarSchema(f.kind), variableDoc(`${name}.${field}`), staticDefault(f.default))]));
  return described({ type: 'object', properties, additionalProperties: false }, variableDoc(name), undefined);
}

/** Every key of every object in the schema, with its path: the docs' list, and the place descriptions go in. */
export function walk(node: JsonSchema, path: string, visit: (node: JsonSchema, path: string) => void): void {
  if (path) visit(node, path);
  if (path in VARS_BLOCKS) return;
  for (const [key, child] of Object.entries((node.properties ?? {}) as Record<string, JsonSchema>)) walk(child, path ? `${path}.${key}` : key, visit);
  const extra = node.additionalProperties;
  if (extra && typeof extra === 'object' && Object.keys(extra).length > 0) {
    const key = RECORD_KEYS[path];
    if (!key) throw new Error(`inventory mapping ${path} has no key name: add it to RECORD_KEYS in ${import.meta.url}`);
    walk(extra as JsonSchema, `${path}.${key}`, visit);
  }
}

/** Allowed values and shapes the zod schema leaves to the loader's code, taken from the same sources. */
function narrow(node: JsonSchema, path: string, facts: CatalogFacts): void {
  const names = (values: readonly string[]) => ({ type: 'string', enum: [...values] });
  if (path === 'name') node.pattern = INVENTORY_NAME.pattern;
  if (path === 'pattern') {
    delete node.type;
    const ids = facts.patterns.map((p) => p.id);
    node.anyOf = [{ type: 'string', enum: ids }, { type: 'integer', enum: ids.filter((id) => /^\d+$/.test(id)).map(Number) }];
  }
  if (path === 'apim.version') node.pattern = '^\\d+\\.\\d+\\.\\d+$';
  if (/sha256$/.test(path)) node.pattern = SHA256.pattern;
  if (path === 'apim.distributions') node.propertyNames = names([...facts.packs.keys()]);
  if (['roles', 'role_vars', 'datacenters.<dc>.roles'].includes(path)) node.propertyNames = names(ROLE_NAMES);
  if (path === 'hosts.<host>.port_offsets') node.propertyNames = names(facts.wso2Roles);
  if (path === 'hosts') node.propertyNames = { type: 'string', pattern: HOST_NAME.pattern };
  if (path === 'hosts.<host>.address' || path === 'green.<host>.address') node.pattern = ADDRESS.pattern;
  // Login keys (connection-keys.ts): what their checks accept, so an editor flags `become: su` or `user: Deploy`.
  if (/(^|\.)(user|become_user)$/.test(path) && !path.startsWith('apim')) node.pattern = UNIX_NAME.pattern;
  if (/(^|\.)become$/.test(path)) {
    delete node.type;
    node.anyOf = [{ type: 'string', enum: ['sudo'] }, { type: 'boolean' }];
  }
}

/**
 * The JSON Schema of an inventory (draft-07, which editors' YAML language servers all read): zod's own rendering of
 * src/inventory/schema.ts, each `vars:` block replaced by the variables its layer may set (variables.ts), keys
 * narrowed to the roles, packs and patterns of roles/ and patterns/, every key described from reference-docs.ts.
 */
export function inventoryJsonSchema(facts: CatalogFacts = catalogFacts()): JsonSchema {
  const schema = z.toJSONSchema(writtenInventory, { target: 'draft-7', io: 'input' }) as JsonSchema;
  const definitions: JsonSchema = {};
  for (const name of VARIABLE_NAMES) definitions[`variable.${name}`] = variableSchema(name, VARIABLES[name]);
  for (const layer of new Set(Object.values(VARS_BLOCKS))) {
    const allowed = VARIABLE_NAMES.filter((n) => SCOPE_LAYERS[VARIABLES[n].scope].includes(layer));
    definitions[`vars.${layer}`] = {
      type: 'object', additionalProperties: false,
      properties: Object.fromEntries(allowed.map((n) => [n, { $ref: `#/definitions/variable.${n}` }])),
    };
  }
  walk(schema, '', (node, path) => {
    const layer = VARS_BLOCKS[path];
    if (layer) {
      for (const k of Object.keys(node)) delete node[k];
      node.$ref = `#/definitions/vars.${layer}`;
      return;
    }
    narrow(node, path, facts);
    node.description = describeKey(keyDoc(path));
  });
  return {
    $schema: schema.$schema, title: 'apim-deploy inventory',
    description: 'One environment: its pattern, hosts, role assignments and variables. Generated by `npm run gen:docs`; reference: docs/inventory.md.',
    ...Object.fromEntries(Object.entries(schema).filter(([k]) => k !== '$schema')), definitions,
  };
}
