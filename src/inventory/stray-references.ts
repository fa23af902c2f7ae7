import { SECRET_CONNECTION_KEYS } from './connection-keys.js';
import type { WrittenInventory } from './schema.js';
import type { DocPath, YamlSource } from '../yaml/source.js';

/** `${NAME}` is resolved only in variables; anywhere else it would silently stay literal, so say so. */
export function checkReferencesOnlyInVars(w: WrittenInventory, src: YamlSource): void {
  walk(w, [], src);
}

function walk(value: unknown, path: DocPath, src: YamlSource): void {
  const last = path.at(-1);
  if (last === 'vars' || (path.length === 1 && last === 'role_vars')) return;
  if (typeof last === 'string' && (SECRET_CONNECTION_KEYS as readonly string[]).includes(last)) return;
  if (typeof value === 'string' && value.includes('${')) {
    src.add(path, 'secret references (${NAME}) work only in variables (vars, role_vars, host and datacenter vars), become_password and ssh_key_passphrase: write the value itself here');
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, [...path, i], src));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walk(v, [...path, k], src);
  }
}
