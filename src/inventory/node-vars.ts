import type { DropInFile } from '../model/vars.js';
import type { DocPath } from '../yaml/source.js';
import { mergeDropIns } from './drop-in-files.js';
import { tomlOverrideLayer } from './toml-layers.js';
import { VARIABLES, type Default, type DefaultContext, type LayoutFacts, type Vars } from './variables.js';

/** One checked `vars:` block and where it is written. */
export interface Layer {
  readonly at: DocPath;
  readonly vars: Vars;
}

/** A node's variables with every layer applied; `null` where nothing was written and there is no default. */
export interface ResolvedVars {
  readonly values: Readonly<Record<string, unknown>>;
  /** Where each variable, and each field of a mapping (`database.host`), was last written; absent: a default. */
  readonly origin: ReadonlyMap<string, DocPath>;
}

/**
 * Applies `layers` (lowest first, in the order of PRECEDENCE) over the defaults of VARIABLES. A later layer
 * replaces a variable; mapping variables merge key by key. Pure: no checks here, they ran on each layer.
 */
export function resolveVars(layers: readonly Layer[], layout: LayoutFacts): ResolvedVars {
  const values: Record<string, unknown> = {};
  const origin = new Map<string, DocPath>();
  const fallback = (d: Default, value: Readonly<Record<string, unknown>>) => (typeof d === 'function' ? d({ node: values, value, layout } satisfies DefaultContext) : d);
  for (const [name, spec] of Object.entries(VARIABLES)) {
    if ('default' in spec && spec.kind.kind === 'files') {
      // A list of drop-in files: every layer adds to it, and replaces the entries with its destinations.
      values[name] = mergeDropIns(layers.map((l) => (l.vars[name] ?? []) as unknown as DropInFile[]));
      continue;
    }
    const listed = 'default' in spec ? layeredValue(name, spec.kind.kind, layers, origin) : undefined;
    if (listed !== undefined) {
      values[name] = listed;
      continue;
    }
    if ('default' in spec) {
      const set = layers.filter((l) => l.vars[name] !== undefined).at(-1);
      if (set) origin.set(name, [...set.at, name]);
      values[name] = set ? set.vars[name] : fallback(spec.default, {});
      continue;
    }
    const merged: Record<string, unknown> = {};
    for (const l of layers) {
      const written = l.vars[name] as Readonly<Record<string, unknown>> | undefined;
      if (written === undefined) continue;
      origin.set(name, [...l.at, name]);
      for (const [key, v] of Object.entries(written)) {
        merged[key] = v;
        origin.set(`${name}.${key}`, [...l.at, name, key]);
      }
    }
    const out: Record<string, unknown> = {};
    const fields = spec.kind.fields;
    for (const [key, field] of Object.entries(fields)) out[key] = merged[key] !== undefined ? merged[key] : fallback(field.default, out);
    values[name] = out;
  }
  return { values, origin };
}

/**
 * Variables that keep every layer instead of the last one: lists are appended (lowest first), deployment_toml
 * keeps one entry per layer (merged in that order at render). undefined for every other kind.
 */
function layeredValue(name: string, kind: string, layers: readonly Layer[], origin: Map<string, DocPath>): unknown {
  if (kind !== 'toml' && kind !== 'toml-keys' && kind !== 'jvm-options') return undefined;
  const set = layers.filter((l) => l.vars[name] !== undefined);
  const last = set.at(-1);
  if (last) origin.set(name, [...last.at, name]);
  if (kind === 'toml') return set.map((l) => tomlOverrideLayer(l.at, l.vars));
  const items = set.flatMap((l) => (l.vars[name] as readonly string[]).map((v, i) => ({ v, at: [...l.at, name, i] })));
  // Each appended item keeps where it was written (`jvm_options.3`), for messages at its line.
  items.forEach((item, i) => origin.set(`${name}.${i}`, item.at));
  return items.map((item) => item.v);
}
