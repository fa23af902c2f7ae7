import { Secret, isSecret } from '../model/secret.js';
import { substituteSecrets } from '../secrets/references.js';
import type { DotenvFile } from '../secrets/dotenv.js';
import { didYouMean } from '../model/did-you-mean.js';
import { checkDropIns } from './drop-in-files.js';
import { PLACEHOLDER } from './placeholders.js';
import { describe } from '../yaml/shape-check.js';
import { quoted } from '../yaml/shown.js';
import type { DocPath, YamlSource } from '../yaml/source.js';
import { checkJvmOptions, checkTomlCompanions, checkTomlKeys, checkTomlTable } from './toml-values.js';
import { SCOPE_LAYERS, VARIABLES, VARIABLE_NAMES, type LayerKind, type ScalarKind, type VarScope, type VarValue, type Vars } from './variables.js';

/** Why a variable may not be set in a layer, per scope (a scope that allows every layer needs none). */
const OUT_OF_SCOPE: Readonly<Partial<Record<VarScope, string>>> = {
  deployment: 'is one per deployment: move it to vars (or datacenters.<dc>.vars)',
};

/**
 * Checks one `vars:` block (`layer` says which) against VARIABLES: known names, allowed here, the right kind.
 * Resolves `${NAME}` secrets and returns the typed values; every issue goes to `src`.
 */
export function checkVars(raw: Record<string, unknown> | undefined, at: DocPath, layer: LayerKind, src: YamlSource, env: DotenvFile): Vars {
  const out: Record<string, VarValue> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    const spec = Object.hasOwn(VARIABLES, name) ? VARIABLES[name as keyof typeof VARIABLES] : undefined;
    if (!spec) {
      src.add([...at, name], `unknown variable ${quoted(name)}${didYouMean(name, VARIABLE_NAMES)}; known: ${VARIABLE_NAMES.join(', ')}`, 'key');
      continue;
    }
    if (!SCOPE_LAYERS[spec.scope].includes(layer)) {
      src.add([...at, name], `${name} ${OUT_OF_SCOPE[spec.scope] ?? 'is not allowed here'}`, 'key');
      continue;
    }
    const checked = spec.kind.kind === 'object' ? checkObject(spec.kind.fields, value, [...at, name], src, env) : checkValue(spec.kind, value, [...at, name], src, env);
    if (checked !== undefined) out[name] = checked;
  }
  checkTomlCompanions(out, at, src);
  return out;
}

function checkObject(fields: Readonly<Record<string, { readonly kind: ScalarKind }>>, value: unknown, path: DocPath, src: YamlSource, env: DotenvFile): VarValue | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return void src.add(path, `expected a mapping (key: value), got ${describe(value)}`);
  const out: Record<string, VarValue> = {};
  for (const [key, v] of Object.entries(value)) {
    const field = Object.hasOwn(fields, key) ? fields[key] : undefined;
    if (!field) {
      src.add([...path, key], `unknown key ${quoted(key)}${didYouMean(key, Object.keys(fields))}; allowed here: ${Object.keys(fields).join(', ')}`, 'key');
      continue;
    }
    const checked = checkValue(field.kind, v, [...path, key], src, env);
    if (checked !== undefined) out[key] = checked;
  }
  return out;
}

function checkValue(kind: ScalarKind, value: unknown, path: DocPath, src: YamlSource, env: DotenvFile): VarValue | undefined {
  if (kind.kind === 'custom') return kind.check(value, path, src, (k, v, p) => checkValue(k, v, p, src, env));
  if (kind.kind === 'files') return checkDropIns(value, path, src);
  if (kind.kind === 'toml') return checkTomlTable(value, path, src, env);
  if (kind.kind === 'toml-keys') return checkTomlKeys(value, path, src, env);
  if (kind.kind === 'jvm-options') return checkJvmOptions(value, path, src, env);
  if (kind.kind === 'int' || kind.kind === 'bool') {
    const expected = kind.kind === 'int' ? 'number' : 'boolean';
    if (typeof value !== expected) return void src.add(path, `expected a ${kind.kind === 'int' ? 'whole number' : 'boolean (true or false)'}, got ${describe(value)}`);
    if (kind.kind === 'int' && (!Number.isInteger(value) || (value as number) < kind.min || (value as number) > kind.max)) {
      return void src.add(path, `must be a whole number from ${kind.min} to ${kind.max}, got ${String(value)}`);
    }
    return value as number | boolean;
  }
  if (typeof value !== 'string') {
    // Numbers in a password field would be printed by describe(): never echo a password.
    return void src.add(path, `expected a string${kind.kind === 'password' ? ' (quote it, or use ${NAME} from the dotenv file)' : `, got ${describe(value)}`}`);
  }
  const sub = substituteSecrets(value, env);
  for (const problem of sub.problems) src.add(path, problem);
  if (sub.problems.length > 0) return undefined;
  if (kind.kind === 'password') {
    const plain = isSecret(sub.value) ? sub.value.reveal() : sub.value;
    if (plain.length === 0) return void src.add(path, `must not be empty`);
    if (plain === PLACEHOLDER) {
      const ref = /^\$\{(\w+)\}$/.exec(value.trim())?.[1];
      return void src.add(path, ref ? `fill in ${ref} in the dotenv file (it is still ${PLACEHOLDER})` : `fill in this password`);
    }
    if (plain.includes('\0')) return void src.add(path, `must not contain a NUL character`);
    // A lone UTF-16 surrogate (YAML "\uD800") cannot be written as UTF-8: the file would hold another password.
    if (/\p{Cs}/u.test(plain)) return void src.add(path, 'must be valid Unicode (it holds a lone surrogate escape)');
    return isSecret(sub.value) ? sub.value : new Secret(plain, `${path.join('.')} in ${src.displayFile}`);
  }
  // Only passwords are kept secret all the way to their file; anything else may reach argv, paths and logs.
  if (isSecret(sub.value)) return void src.add(path, 'secret references (${NAME}) are for passwords: write this value itself');
  const plain = sub.value;
  if (kind.kind === 'enum' && !kind.values.includes(plain)) {
    return void src.add(path, `must be one of ${kind.values.join(', ')}, got ${quoted(plain)}${didYouMean(plain, kind.values)}`);
  }
  if (kind.kind === 'text' && !kind.rule.test(plain)) {
    return void src.add(path, `${quoted(plain)} is not valid here: use ${kind.rule.expected}`);
  }
  return kind.kind === 'text' && kind.rule.normalize ? kind.rule.normalize(plain) : plain;
}
