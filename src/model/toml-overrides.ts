import type { Secret } from './secret.js';

/**
 * What one inventory layer writes under `deployment_toml:`, checked (src/inventory/toml-values.ts): TOML-compatible
 * values only, `${NAME}` references resolved to Secrets. Merged over the rendered deployment.toml by
 * src/render/toml-overrides.ts, layers lowest first (vars < role_vars < datacenter < host).
 */
export type TomlValue = string | number | boolean | Secret | readonly TomlValue[] | TomlTable;
export interface TomlTable {
  readonly [key: string]: TomlValue;
}

/** A dotted key split into its parts: `apim.throttling.url_group` → ['apim', 'throttling', 'url_group']. */
export type TomlKeyPath = readonly string[];

export interface TomlOverrideLayer {
  /** Where `deployment_toml` is written in the inventory (a YAML path), for file:line messages. */
  readonly at: readonly (string | number)[];
  readonly table: TomlTable;
  /** This layer's `deployment_toml_replace`: arrays (of tables) that replace what is below instead of appending. */
  readonly replace: readonly TomlKeyPath[];
  /** This layer's `deployment_toml_force`: keys apim-deploy's wiring owns that this layer may still override. */
  readonly force: readonly TomlKeyPath[];
}

/** A TOML table (a plain mapping), as opposed to a Secret or a list. */
export function isTomlTable(v: unknown): v is TomlTable {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !('reveal' in v);
}

/** `["apim", "cors"]` → `apim.cors`; a part that is not a bare TOML key is quoted. */
export function dottedTomlKey(path: TomlKeyPath): string {
  return path.map((p) => (/^[A-Za-z0-9_-]+$/.test(p) ? p : JSON.stringify(p))).join('.');
}

/** `apim."header.X".y` → parts; null when it is not a dotted TOML key. */
export function parseTomlKeyPath(text: string): TomlKeyPath | null {
  const parts: string[] = [];
  const re = /\s*(?:([A-Za-z0-9_-]+)|"((?:[^"\\]|\\.)*)"|'([^']*)')\s*(\.|$)/y;
  let at = 0;
  while (at < text.length) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m) return null;
    let part = m[1] ?? m[3];
    if (part === undefined) {
      try {
        part = JSON.parse(`"${m[2]!}"`) as string;
      } catch {
        return null;
      }
    }
    parts.push(part);
    at = re.lastIndex;
    if (m[4] === '') break;
    if (at >= text.length) return null; // a trailing dot
  }
  return parts.length > 0 && at >= text.length ? parts : null;
}
