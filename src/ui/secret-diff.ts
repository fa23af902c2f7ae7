import { REDACTED } from '../model/secret.js';

/**
 * Key-level changes between two versions of a file that holds secrets, values never shown:
 * `[database.apim_db] password: changed (*** → ***)`. Understands TOML tables and key = value / key: value lines.
 */
export function secretKeyChanges(oldText: string | undefined, newText: string): string[] {
  const before = keyValues(oldText ?? '');
  const after = keyValues(newText);
  const lines: string[] = [];
  for (const [key, value] of after) {
    if (!before.has(key)) lines.push(`${key}: added (${REDACTED})`);
    else if (before.get(key) !== value) lines.push(`${key}: changed (${REDACTED} → ${REDACTED})`);
  }
  for (const key of before.keys()) if (!after.has(key)) lines.push(`${key}: removed`);
  return lines;
}

/** `[table] key` → raw value; repeated [[array]] tables are numbered so their keys stay distinct. */
function keyValues(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const arrayCount = new Map<string, number>();
  let table = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const arrayTable = /^\[\[\s*([^\]]+?)\s*\]\]$/.exec(line);
    const plainTable = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (arrayTable) {
      const name = arrayTable[1]!;
      const index = (arrayCount.get(name) ?? 0) + 1;
      arrayCount.set(name, index);
      table = `[[${name}]] #${index}`;
    } else if (plainTable) {
      table = `[${plainTable[1]}]`;
    } else {
      const kv = /^([^=:\s]+(?:\s*\.\s*[^=:\s]+)*)\s*[=:]\s*(.*)$/.exec(line);
      if (kv) out.set(table ? `${table} ${kv[1]}` : kv[1]!, kv[2]!);
    }
  }
  return out;
}
