/**
 * deployment.toml as the config mapper sees it: flattened to dotted keys (`[apim.event_hub] service_url` →
 * `apim.event_hub.service_url`; arrays, including arrays of tables, stay values), plus the `${carbon.property}`
 * expansion Carbon does at run time (unknown names stay as written, as harmless as in Carbon).
 */
export type TomlTable = Record<string, unknown>;
export type Flat = Map<string, unknown>;

const PROPERTY_REF = /\$\{([^}]*)\}/g;

const isTable = (v: unknown): v is TomlTable =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);

/** A key segment holding a dot is quoted, as the mapper writes `'header.X-WSO2-KEY-MANAGER'`. */
const segment = (k: string): string => (k.includes('.') ? `'${k}'` : k);

export function flatten(doc: TomlTable, prefix = '', out: Flat = new Map()): Flat {
  for (const [k, v] of Object.entries(doc)) {
    const key = prefix ? `${prefix}.${segment(k)}` : segment(k);
    if (isTable(v)) flatten(v, key, out);
    else out.set(key, v);
  }
  return out;
}

export function lookup(doc: TomlTable, dottedPath: string): unknown {
  let node: unknown = doc;
  for (const part of dottedPath.split('.')) {
    if (!isTable(node)) return undefined;
    node = node[part];
  }
  return node;
}

/** Applies `fn` to every string inside `value` (arrays and tables included). */
export function mapStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (isTable(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]));
  return value;
}

/** Every string inside `value`, in order. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (isTable(value)) return Object.values(value).flatMap(stringsIn);
  return [];
}

/** Expands `${name}` from `properties`; names it does not know stay as written. */
export function expandProperties(value: string, properties: Readonly<Record<string, string>>): string {
  return value.replace(PROPERTY_REF, (whole, name: string) => properties[name] ?? whole);
}
