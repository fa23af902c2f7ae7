/**
 * `{name}` placeholders in role.yaml strings, resolved per node. `{port:http}` is the role's port of that name (and
 * `{port:9443}` a base port) plus the node's offset. An argv element written exactly `{launcher_args...}` stands
 * for a list. Unknown names are rejected when role.yaml is loaded, so a typo never reaches a host.
 */
export const PLACEHOLDERS = [
  'address',
  'home',
  'role',
  'role_dir',
  'install_dir',
  'state_dir',
  'service_user',
  'service_group',
  'java_home',
  'jvm_heap',
  // jvm_options joined by blanks (each option holds none: src/inventory/toml-values.ts), '' when there are none.
  'jvm_options',
  'unit',
  'script',
  'launcher',
  'database.apim_db',
  'database.shared_db',
  'database.user',
  // Only in the dest of a file rendered once per item (`each:`): the item's name, e.g. Region2, and in lower case.
  'region',
  'region_lower',
  // Only in the database role's `migration` commands (docs/migrate.md), filled by the migration planner.
  'from_database',
  'to_database',
  'backup',
  'step_from',
  'step_to',
  // The record a schema step writes in the green database, in the same transaction as its script.
  'step_record',
] as const;
export type PlaceholderName = (typeof PLACEHOLDERS)[number];

/** Placeholders that stand for a list of argv elements. */
export const LIST_PLACEHOLDERS = ['launcher_args'] as const;
export type ListPlaceholderName = (typeof LIST_PLACEHOLDERS)[number];

/** What one node fills placeholders with. */
export interface NodePlaceholders {
  readonly values: Readonly<Partial<Record<PlaceholderName, string>>>;
  readonly lists: Readonly<Partial<Record<ListPlaceholderName, readonly string[]>>>;
  /** A base port (digits, or a name from the role's `ports`) plus the node's offset; throws for an unknown name. */
  port(spec: string): number;
}

const PLACEHOLDER_RE = /\{([a-z_]+(?:\.[a-z_]+)*)(?::([a-z0-9_]+))?(\.\.\.)?\}/g;

/** Placeholders in `text` that are not known, or name a port the role does not have (for load-time validation). */
export function unknownPlaceholders(text: string, portNames: readonly string[]): string[] {
  const bad: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER_RE)) {
    const [whole, name, arg, list] = m as unknown as [string, string, string | undefined, string | undefined];
    const known = list
      ? (LIST_PLACEHOLDERS as readonly string[]).includes(name) && text === whole
      : name === 'port'
        ? arg !== undefined && (/^\d+$/.test(arg) || portNames.includes(arg))
        : arg === undefined && (PLACEHOLDERS as readonly string[]).includes(name);
    if (!known) bad.push(whole);
  }
  return bad;
}

/** Replace every placeholder of `text`; throws naming the placeholder when this node has no value for it. */
export function fillPlaceholders(text: string, p: NodePlaceholders): string {
  return text.replace(PLACEHOLDER_RE, (whole, name: string, arg?: string, list?: string) => {
    if (name === 'port' && arg !== undefined) return String(p.port(arg));
    const value = list ? undefined : p.values[name as PlaceholderName];
    if (value === undefined) throw new Error(`placeholder ${whole} has no value for this node`);
    return value;
  });
}

/** An argv with its placeholders filled; an element `{launcher_args...}` becomes the elements of that list. */
export function fillArgv(argv: readonly string[], p: NodePlaceholders): string[] {
  return argv.flatMap((arg) => {
    const list = /^\{([a-z_]+)\.\.\.\}$/.exec(arg)?.[1];
    if (list === undefined) return [fillPlaceholders(arg, p)];
    const values = p.lists[list as ListPlaceholderName];
    if (values === undefined) throw new Error(`placeholder ${arg} has no value for this node`);
    return [...values];
  });
}
