import { isSecret, type Secret } from '../model/secret.js';
import { parseTomlKeyPath, type TomlTable, type TomlValue } from '../model/toml-overrides.js';
import { substituteSecrets } from '../secrets/references.js';
import type { DotenvFile } from '../secrets/dotenv.js';
import { describe } from '../yaml/shape-check.js';
import { quoted } from '../yaml/shown.js';
import type { DocPath, YamlSource } from '../yaml/source.js';

/**
 * Checks of `deployment_toml`, `deployment_toml_force` / `_replace` and `jvm_options` values as written in one
 * vars block, each issue at its own inventory line. What a TOML file cannot hold is refused here, before any
 * host is touched, instead of being dropped or changed on the way (smol-toml's stringify silently leaves out a
 * null, and writes 1.0 as 1).
 */

type Check<T> = (value: unknown, path: DocPath, src: YamlSource, env: DotenvFile) => T | undefined;

/** A `deployment_toml:` mapping: tables, arrays and TOML scalars; `${NAME}` strings become Secrets. */
export const checkTomlTable: Check<TomlTable> = (value, path, src, env) => {
  if (!isMapping(value)) return void src.add(path, `expected a mapping of deployment.toml keys (like { apim: { cors: { enable: true } } }), got ${describe(value)}`);
  return table(value, path, src, env);
};

function table(value: Readonly<Record<string, unknown>>, path: DocPath, src: YamlSource, env: DotenvFile): TomlTable | undefined {
  const out: Record<string, TomlValue> = {};
  let ok = true;
  for (const [key, v] of Object.entries(value)) {
    if (key.trim() === '') {
      src.add([...path, key], 'an empty key names nothing in deployment.toml', 'key');
      ok = false;
      continue;
    }
    const checked = tomlValue(v, [...path, key], src, env);
    if (checked === undefined) ok = false;
    else out[key] = checked;
  }
  return ok ? out : undefined;
}

function tomlValue(value: unknown, path: DocPath, src: YamlSource, env: DotenvFile): TomlValue | undefined {
  if (value === null || value === undefined) {
    return void src.add(path, 'TOML has no null: give a value, or leave the key out (a key apim-deploy writes cannot be removed, only set)');
  }
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return void src.add(path, `${String(value)} is not a number WSO2 reads from deployment.toml: write a finite number`);
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) return void src.add(path, `${String(value)} is too large to keep exactly: quote it if WSO2 reads it as text`);
    return value;
  }
  if (typeof value === 'string') {
    const sub = substituteSecrets(value, env);
    for (const problem of sub.problems) src.add(path, `${problem} (write $\${ for a literal \${, as in $\${carbon.home})`);
    if (sub.problems.length > 0) return undefined;
    if (isSecret(sub.value) && /\$(env|ref|secret|sys)?\{/.test(sub.value.reveal())) {
      return void src.add(path, 'the secret holds "${", "$env{", "$ref{" or "$secret{", which WSO2 would resolve as a reference; choose another value');
    }
    return sub.value as string | Secret;
  }
  if (Array.isArray(value)) return list(value, path, src, env);
  if (isMapping(value)) return table(value, path, src, env);
  return void src.add(path, `${describe(value)} cannot be written to deployment.toml`);
}

/** A list: all tables (an array of tables) or all values of one kind (TOML 0.4 readers refuse mixed arrays; Carbon's reader version is unconfirmed). */
function list(value: readonly unknown[], path: DocPath, src: YamlSource, env: DotenvFile): TomlValue[] | undefined {
  const items = value.map((v, i) => tomlValue(v, [...path, i], src, env));
  if (items.some((v) => v === undefined)) return undefined;
  const kinds = new Set(items.map(kindOf));
  if (kinds.size > 1) return void src.add(path, `a deployment.toml array holds one kind of value, this one mixes ${[...kinds].sort().join(' and ')}: quote the numbers, or split the list`);
  return items as TomlValue[];
}

function kindOf(v: TomlValue | undefined): string {
  if (Array.isArray(v)) return 'lists';
  if (isSecret(v) || typeof v === 'string') return 'strings';
  if (typeof v === 'number') return Number.isInteger(v) ? 'whole numbers' : 'fractions';
  if (typeof v === 'boolean') return 'booleans';
  return 'tables';
}

/** `deployment_toml_force` / `_replace`: a list of dotted deployment.toml keys (`apim.throttling.url_group`). */
export const checkTomlKeys: Check<string[]> = (value, path, src) => {
  if (!Array.isArray(value)) return void src.add(path, `expected a list of dotted deployment.toml keys (like [apim.throttling.url_group]), got ${describe(value)}`);
  const out: string[] = [];
  value.forEach((k, i) => {
    if (typeof k !== 'string' || parseTomlKeyPath(k) === null) src.add([...path, i], `expected a dotted deployment.toml key like apim.throttling.url_group, got ${describe(k)}`);
    else out.push(k);
  });
  return out.length === value.length ? out : undefined;
};

/**
 * `jvm_options`: each one argument of the JVM. The start script expands $JAVA_OPTS unquoted (wso2/product-apim
 * all-in-one-apim/modules/distribution/product/src/main/startup-scripts/api-manager.sh: `$JVM_MEM_OPTS ... $JAVA_OPTS`), so the shell splits
 * it at blanks and expands * ? [ as file names: an option holding one would reach the JVM as something else.
 */
export const checkJvmOptions: Check<string[]> = (value, path, src) => {
  if (!Array.isArray(value)) return void src.add(path, `expected a list of JVM options (like ["-XX:+UseG1GC", "-Dfoo=bar"]), got ${describe(value)}`);
  const out: string[] = [];
  value.forEach((o, i) => {
    const at = [...path, i];
    if (typeof o !== 'string') return src.add(at, `expected a JVM option as a string, got ${describe(o)}`);
    if (!o.startsWith('-')) return src.add(at, `${quoted(o)} is not a JVM option: options start with "-"`);
    if (/[\n\r]/.test(o)) return src.add(at, 'a JVM option must not hold a line break');
    if (/\s/.test(o)) return src.add(at, `${quoted(o)} holds a blank: the start script splits $JAVA_OPTS at blanks, so it would reach the JVM as two options`);
    if (/[*?[]/.test(o)) return src.add(at, `${quoted(o)} holds * ? or [: the start script expands $JAVA_OPTS unquoted, so the shell would read it as a file name pattern`);
    if (/[\u0000-\u001f\u007f]/.test(o)) return src.add(at, 'a JVM option must not hold control characters');
    out.push(o);
  });
  return out.length === value.length ? out : undefined;
};

/** In one vars block, `deployment_toml_force` / `_replace` apply to that block's `deployment_toml`: say so when it has none. */
export function checkTomlCompanions(out: Readonly<Record<string, unknown>>, at: DocPath, src: YamlSource): void {
  for (const name of ['deployment_toml_force', 'deployment_toml_replace']) {
    if (out[name] !== undefined && out['deployment_toml'] === undefined) {
      src.add([...at, name], `${name} applies to the deployment_toml of the same vars block, and this block has none: move it next to the deployment_toml it is for`, 'key');
    }
  }
}

function isMapping(v: unknown): v is Readonly<Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
