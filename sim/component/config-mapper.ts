/**
 * The part of Carbon's config mapper that decides whether a node starts (configMapper in sim/rules/sources.ts):
 * infer.json values (sim/rules/infer.ts), then `$secret{}` / `$sys{}` / `$env{}`, then `$ref{}` against
 * deployment.toml, what was inferred and default.json. The real mapper stops at the first problem with a
 * ConfigParserException; so does this one, with the same message.
 *
 * `$ref{}` targets: a key defined in deployment.toml or inferred resolves; a key the version's default.json has no
 * default for (sim/rules/required-refs.ts, plus the hostname/port/name/sid an inferred database URL refers to)
 * stops the node; any other key is assumed to have a default and is left as written (the simulator does not carry
 * all of default.json, so it errs on the lenient side there).
 */
import type { Component } from './args.js';
import { flatten, mapStrings, stringsIn, type Flat, type TomlTable } from './placeholders.js';
import { DATABASE_TYPES, knownServerRoles } from '../rules/infer.js';
import { requiredRefs } from '../rules/required-refs.js';
import { packOf, type DataVersion } from '../rules/versions.js';

export interface MapperInput {
  readonly doc: TomlTable;
  readonly version: DataVersion | undefined;
  readonly component: Component;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly systemProperties: Readonly<Record<string, string>>;
  /** Decrypted `[secrets]` (secure-vault.ts), by alias. */
  readonly secrets?: ReadonlyMap<string, string>;
}

export type MapperResult =
  | { readonly ok: true; readonly flat: Flat; readonly notes: readonly string[] }
  | { readonly ok: false; readonly exception: string };

const EXCEPTION = 'org.wso2.config.mapper.ConfigParserException';
const REF = /\$ref\{([^}]*)\}/g;

class MapperError extends Error {}

/** database.<id>.type values infer.json knows add driver, url and validationQuery, unless deployment.toml has them. */
function infer(flat: Flat, version: DataVersion | undefined, component: Component, notes: string[]): Flat {
  const inferred: Flat = new Map();
  const role = flat.get('server.server_role');
  const roles = knownServerRoles(version, packOf(component));
  if (roles && typeof role === 'string' && !roles.includes(role)) {
    notes.push(`server_role "${role}" is not a value this pack's infer.json knows (${roles.join(', ')}): nothing inferred for it`);
  }
  if (version === undefined) return inferred;
  for (const [key, value] of flat) {
    const m = /^database\.([^.]+)\.type$/.exec(key);
    if (!m || typeof value !== 'string') continue;
    const known = DATABASE_TYPES[value];
    if (!known) {
      notes.push(`[database.${m[1]}] type "${value}" is not a type infer.json knows (${Object.keys(DATABASE_TYPES).join(', ')}): no driver, URL or validation query inferred`);
      continue;
    }
    const fill = (field: 'driver' | 'url' | 'validationQuery'): void => {
      const k = `database.${m[1]}.${field}`;
      if (!flat.has(k)) inferred.set(k, known[field].replace(/\$1/g, m[1]!));
    };
    fill('driver');
    fill('url');
    fill('validationQuery');
  }
  return inferred;
}

function resolveDynamic(flat: Flat, input: MapperInput): void {
  const replace = (s: string): string =>
    s
      // The mapper keeps $secret{} for the runtime's secret resolver; the simulator resolves what its vault decrypted
      // (secure-vault.ts) and, like the product as far as traced, leaves an alias [secrets] lacks as written.
      .replace(/\$secret\{([^}]*)\}/g, (whole, alias: string) => input.secrets?.get(alias) ?? whole)
      .replace(/\$sys\{([^}]*)\}/g, (_w, name: string) => {
        const value = input.systemProperties[name];
        if (!value) throw new MapperError(`Error while retrieving ${name} system property`);
        return value;
      })
      .replace(/\$env\{([^}]*)\}/g, (_w, name: string) => {
        const value = input.env[name];
        if (value === undefined) throw new MapperError(`Environment variable ${name} not defined in system`);
        return value;
      });
  for (const [key, value] of flat) flat.set(key, mapStrings(value, replace));
}

function resolveRefs(flat: Flat, noDefault: ReadonlySet<string>, fromDefaults: readonly string[]): void {
  const wanted = [...[...flat.values()].flatMap((v) => stringsIn(v).flatMap((s) => [...s.matchAll(REF)].map((m) => m[1]!))), ...fromDefaults];
  for (const key of wanted) {
    if (!flat.has(key) && noDefault.has(key)) throw new MapperError(`Configuration with key ${key} doesn't exist`);
  }
  for (let round = 0; round < 10; round++) {
    let changed = false;
    for (const [key, value] of flat) {
      const next = mapStrings(value, (s) =>
        s.replace(REF, (whole, target: string) => {
          const v = flat.get(target);
          return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : whole;
        }),
      );
      if (JSON.stringify(next) !== JSON.stringify(value)) {
        flat.set(key, next);
        changed = true;
      }
    }
    if (!changed) return;
  }
}

export function runConfigMapper(input: MapperInput): MapperResult {
  const notes: string[] = [];
  const flat = flatten(input.doc);
  const inferred = infer(flat, input.version, input.component, notes);
  for (const [k, v] of inferred) flat.set(k, v);
  const required = requiredRefs(input.version, packOf(input.component)).map((r) => r.key);
  const noDefault = new Set(required);
  if (input.version !== undefined) {
    for (const key of flat.keys()) {
      const m = /^database\.([^.]+)\.type$/.exec(key);
      if (m) for (const part of ['hostname', 'port', 'name', 'sid']) noDefault.add(`database.${m[1]}.${part}`);
    }
  }
  try {
    resolveDynamic(flat, input);
    resolveRefs(flat, noDefault, required);
  } catch (err) {
    if (err instanceof MapperError) return { ok: false, exception: `${EXCEPTION}: ${err.message}` };
    throw err;
  }
  return { ok: true, flat, notes };
}
