/**
 * `{name}` placeholders in role.yaml strings, resolved per node. `{port:9443}` is a base port plus the
 * node's offset. Unknown names are rejected when role.yaml is loaded, so a typo never reaches a host.
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
  'unit',
  'script',
  'database.apim_db',
  'database.shared_db',
  'database.user',
] as const;
export type PlaceholderName = (typeof PLACEHOLDERS)[number];
export type PlaceholderValues = Readonly<Partial<Record<PlaceholderName, string>>>;

const PLACEHOLDER_RE = /\{([a-z_.]+)(?::(\d+))?\}/g;

/** Names used in `text` that are not known placeholders (for load-time validation). */
export function unknownPlaceholders(text: string): string[] {
  const bad: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER_RE)) {
    const name = m[1] as string;
    if (name === 'port' ? m[2] === undefined : !(PLACEHOLDERS as readonly string[]).includes(name)) bad.push(m[0]);
  }
  return bad;
}

/** Replace every placeholder; throws naming the placeholder when a value is missing for this node. */
export function fillPlaceholders(text: string, values: PlaceholderValues, portOffset: number): string {
  return text.replace(PLACEHOLDER_RE, (whole, name: string, port?: string) => {
    if (name === 'port' && port !== undefined) return String(Number(port) + portOffset);
    const value = values[name as PlaceholderName];
    if (value === undefined) throw new Error(`placeholder ${whole} has no value for this node`);
    return value;
  });
}
