import { parse, stringify } from 'smol-toml';
import { InventoryPathError } from '../errors.js';
import { isSecret } from '../model/secret.js';
import { dottedTomlKey, isTomlTable, type TomlKeyPath, type TomlOverrideLayer, type TomlTable, type TomlValue } from '../model/toml-overrides.js';
import type { EscapeState } from './escapers.js';

/**
 * Merges a node's `deployment_toml` layers (lowest first) over its rendered deployment.toml:
 * - a mapping merges into the table of that name key by key;
 * - a list of mappings is an array of tables, appended after what the template and lower layers wrote, unless the
 *   layer lists it under `deployment_toml_replace` (then it replaces them);
 * - anything else (a value, a list of values) replaces the value of that key.
 * The merged document is written by smol-toml (parse and stringify, so every string is escaped by the library
 * and the output is valid TOML by construction); without overrides the rendered text is returned untouched.
 */
export function mergeTomlOverrides(rendered: string, layers: readonly TomlOverrideLayer[], state: EscapeState): string {
  if (layers.length === 0) return rendered;
  const doc = parse(rendered) as Record<string, unknown>;
  for (const layer of layers) mergeTable(doc, layer.table, [], layer, state);
  const header = rendered.split('\n').filter((l, i, all) => l.startsWith('#') && all.slice(0, i).every((p) => p.startsWith('#')));
  const note = '# deployment_toml from the inventory is merged in: keys and tables are in the order TOML writes them.';
  return `${[...header, note].join('\n')}\n\n${stringify(doc)}`;
}

function mergeTable(target: Record<string, unknown>, table: TomlTable, path: TomlKeyPath, layer: TomlOverrideLayer, state: EscapeState): void {
  for (const [key, value] of Object.entries(table)) {
    const at = [...path, key];
    const existing = target[key];
    if (isTomlTable(value)) {
      if (existing === undefined) target[key] = {};
      else if (!isPlainTable(existing)) throw conflict(layer, at, `is ${shape(existing)} in deployment.toml, the inventory gives a mapping`);
      mergeTable(target[key] as Record<string, unknown>, value, at, layer, state);
    } else if (isArrayOfTables(value)) {
      const items = value.map((t) => plain(t as TomlTable, state));
      if (existing === undefined || replaces(layer, at)) target[key] = items;
      else if (isArrayOfTables(existing)) target[key] = [...existing, ...items];
      else throw conflict(layer, at, `is ${shape(existing)} in deployment.toml, the inventory gives a list of mappings (an array of tables)`);
    } else {
      if (isPlainTable(existing) || isArrayOfTables(existing)) throw conflict(layer, at, `is ${shape(existing)} in deployment.toml, the inventory gives a single value`);
      target[key] = plain(value, state);
    }
  }
}

/** The value as smol-toml writes it: Secrets revealed (and recorded, so the file stays masked in diffs). */
function plain(value: TomlValue, state: EscapeState): unknown {
  if (isSecret(value)) {
    if (state.vault) return state.vault.reference(value);
    state.secretWritten = true;
    return value.reveal();
  }
  if (Array.isArray(value)) return value.map((v: TomlValue) => plain(v, state));
  if (isTomlTable(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v, state)]));
  return value;
}

const replaces = (layer: TomlOverrideLayer, at: TomlKeyPath): boolean => layer.replace.some((r) => r.length === at.length && r.every((p, i) => p === at[i]));

function isPlainTable(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date) && !isSecret(v);
}

function isArrayOfTables(v: unknown): v is readonly Record<string, unknown>[] {
  return Array.isArray(v) && v.length > 0 && v.every((x) => isPlainTable(x) || isTomlTable(x));
}

function shape(v: unknown): string {
  if (isArrayOfTables(v)) return 'an array of tables';
  if (isPlainTable(v)) return 'a table';
  return Array.isArray(v) ? 'a list' : 'a single value';
}

function conflict(layer: TomlOverrideLayer, at: TomlKeyPath, what: string): InventoryPathError {
  const where = [...layer.at, ...at].map(String).join('.');
  const detail = `${dottedTomlKey(at)} ${what}; write it the way deployment.toml holds it`;
  return new InventoryPathError(`${where}: ${detail}`, [...layer.at, ...at], detail);
}
