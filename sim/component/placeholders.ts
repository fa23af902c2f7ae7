/**
 * deployment.toml value references, as Carbon's config mapper accepts them:
 * `$env{VAR}` (resolved from the environment; a missing variable is a startup error), `$ref{table.key}` (another key
 * of the same file), `${carbon.property}` (resolved from a small table, unknown ones kept as written) and
 * `$secret{alias}` (kept as written: the cipher tool is not emulated).
 */
export type TomlValue = string | number | boolean | Date | TomlValue[] | { [key: string]: TomlValue } | object;
export type TomlTable = Record<string, unknown>;

const ENV_REF = /\$env\{([^}]*)\}/g;
const KEY_REF = /\$ref\{([^}]*)\}/g;
const PROPERTY_REF = /\$\{([^}]*)\}/g;

export function lookup(doc: TomlTable, dottedPath: string): unknown {
  let node: unknown = doc;
  for (const part of dottedPath.split('.')) {
    if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as TomlTable)[part];
  }
  return node;
}

function mapStrings(value: unknown, at: string, fn: (s: string, at: string) => string): unknown {
  if (typeof value === 'string') return fn(value, at);
  if (Array.isArray(value)) return value.map((v, i) => mapStrings(v, `${at}[${i}]`, fn));
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const out: TomlTable = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, at ? `${at}.${k}` : k, fn);
    return out;
  }
  return value;
}

/** Resolves `$env{}` and `$ref{}` everywhere; returns every problem found, each naming the key. */
export function resolveReferences(
  doc: TomlTable,
  env: Readonly<Record<string, string | undefined>>,
): { doc: TomlTable; problems: string[] } {
  const problems: string[] = [];
  const withEnv = mapStrings(doc, '', (s, at) =>
    s.replace(ENV_REF, (whole, name: string) => {
      const value = env[name];
      if (value === undefined) {
        problems.push(`${at}: environment variable "${name}" referenced as ${whole} is not set`);
        return whole;
      }
      return value;
    }),
  ) as TomlTable;
  const withRefs = mapStrings(withEnv, '', (s, at) =>
    s.replace(KEY_REF, (whole, path: string) => {
      const target = lookup(withEnv, path);
      if (typeof target === 'string' || typeof target === 'number' || typeof target === 'boolean') return String(target);
      problems.push(`${at}: ${whole} does not name a key with a plain value`);
      return whole;
    }),
  ) as TomlTable;
  return { doc: withRefs, problems };
}

/** Expands `${name}` from `properties`; names it does not know stay as written, as harmless as in Carbon. */
export function expandProperties(value: string, properties: Readonly<Record<string, string>>): string {
  return value.replace(PROPERTY_REF, (whole, name: string) => properties[name] ?? whole);
}
