import { parse, TomlDate } from 'smol-toml';
import { REDACTED } from '../model/secret.js';

type Leaf = string | number | boolean | bigint | TomlDate | readonly unknown[];

/**
 * Key-level changes between two TOML documents, parsed (not line-matched), one line per changed key:
 * `[server] offset: 0 → 1`, `[apim.throttling] throttle_decision_endpoints: 2 → 3 entries`. With `mask`, values
 * never appear (`changed (*** → ***)`), for files that hold secrets. null when either side is not valid TOML.
 */
export function tomlKeyChanges(oldText: string, newText: string, opts: { mask: boolean }): string[] | null {
  const before = flattenToml(oldText);
  const after = flattenToml(newText);
  if (!before || !after) return null;
  const lines: string[] = [];
  for (const [key, value] of after) {
    const old = before.get(key);
    if (old === undefined) lines.push(`${key}: added (${opts.mask ? REDACTED : show(value)})`);
    else if (!same(old, value)) lines.push(`${key}: ${opts.mask ? `changed (${REDACTED} → ${REDACTED})` : change(old, value)}`);
  }
  for (const [key, value] of before) if (!after.has(key)) lines.push(`${key}: removed${opts.mask ? '' : ` (was ${show(value)})`}`);
  return lines;
}

/** `[table.path] key` → leaf value; arrays of tables are numbered (`[[name]] #2`) so their keys stay distinct. */
function flattenToml(text: string): Map<string, Leaf> | null {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  const out = new Map<string, Leaf>();
  // `path`: dotted table path; `shown`: how the table is named in the output ('' at top level).
  const walk = (table: Record<string, unknown>, path: string, shown: string): void => {
    for (const [key, value] of Object.entries(table)) {
      const inner = path ? `${path}.${key}` : key;
      if (isTable(value)) walk(value, inner, `[${inner}]`);
      else if (Array.isArray(value) && value.length > 0 && value.every(isTable)) {
        value.forEach((t, i) => walk(t as Record<string, unknown>, `${inner}#${i + 1}`, `[[${inner}]] #${i + 1}`));
      } else out.set(shown ? `${shown} ${key}` : key, value as Leaf);
    }
  };
  walk(doc, '', '');
  return out;
}

function isTable(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof TomlDate);
}

function change(old: Leaf, value: Leaf): string {
  if (Array.isArray(old) && Array.isArray(value) && old.length !== value.length) return `${old.length} → ${value.length} entries`;
  return `${show(old)} → ${show(value)}`;
}

function show(v: Leaf): string {
  if (v instanceof TomlDate) return v.toISOString();
  if (typeof v === 'bigint') return v.toString();
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x instanceof TomlDate ? x.toISOString() : x));
}

function same(a: Leaf, b: Leaf): boolean {
  return show(a) === show(b);
}
