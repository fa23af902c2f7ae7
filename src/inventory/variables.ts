import { Secret, isSecret } from '../model/secret.js';
import type { VarValue, Vars } from '../model/inventory.js';
import { substituteSecrets } from '../secrets/references.js';
import type { DotenvFile } from '../secrets/dotenv.js';
import { didYouMean } from './did-you-mean.js';
import * as N from './names.js';
import { describe } from './shape-check.js';
import type { DocPath, YamlSource } from './source.js';

/** What one variable may hold. `password` values always become Secrets, even when written in clear. */
type VarKind =
  | { readonly kind: 'text'; readonly rule: N.NameRule }
  | { readonly kind: 'password' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'int'; readonly min: number; readonly max: number }
  | { readonly kind: 'bool' }
  | { readonly kind: 'object'; readonly fields: Readonly<Record<string, VarKind>> };

const text = (rule: N.NameRule): VarKind => ({ kind: 'text', rule });
const password: VarKind = { kind: 'password' };

/** Every variable apim-deploy knows. Anything else is a typo. Keep in sync with docs/inventory.md. */
export const VARIABLES: Readonly<Record<string, VarKind>> = {
  admin_username: text(N.LOGIN_NAME),
  admin_password: password,
  keystore_password: password,
  truststore_password: password,
  database: {
    kind: 'object',
    fields: {
      type: { kind: 'enum', values: ['postgresql', 'mysql', 'h2'] },
      host: text(N.ADDRESS),
      port: { kind: 'int', min: 1, max: 65535 },
      apim_db: text(N.SQL_NAME),
      shared_db: text(N.SQL_NAME),
      user: text(N.SQL_NAME),
      password,
      replicated: { kind: 'bool' },
    },
  },
  public_hostname: { kind: 'object', fields: { control_plane: text(N.ADDRESS), gateway: text(N.ADDRESS) } },
  jvm_heap: text(N.HEAP_SIZE),
  install_dir: text(N.ABSOLUTE_PATH),
  service_user: text(N.UNIX_NAME),
  service_group: text(N.UNIX_NAME),
  service_manager: { kind: 'enum', values: ['script', 'systemd'] },
  gateway_environment: text(N.LABEL),
  java_home: text(N.ABSOLUTE_PATH),
};

/** Defaults of the simple variables (database and public_hostname defaults depend on the layout: see normalize). */
export const VARIABLE_DEFAULTS: Readonly<Record<string, string>> = {
  admin_username: 'admin',
  keystore_password: 'wso2carbon',
  truststore_password: 'wso2carbon',
  jvm_heap: '1g',
  install_dir: '/opt/wso2',
  service_user: 'wso2carbon',
  service_group: 'wso2',
  service_manager: 'script',
  gateway_environment: 'Default',
};

/** Checks one `vars:` block, resolves `${NAME}` secrets and returns the typed values; issues go to `src`. */
export function checkVars(raw: Record<string, unknown> | undefined, at: DocPath, src: YamlSource, env: DotenvFile): Vars {
  const out: Record<string, VarValue> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    const kind = VARIABLES[name];
    if (!kind) {
      src.add([...at, name], `unknown variable '${name}'${didYouMean(name, Object.keys(VARIABLES))}; known: ${Object.keys(VARIABLES).join(', ')}`, 'key');
      continue;
    }
    const checked = checkValue(kind, value, [...at, name], src, env);
    if (checked !== undefined) out[name] = checked;
  }
  return out;
}

function checkValue(kind: VarKind, value: unknown, path: DocPath, src: YamlSource, env: DotenvFile): VarValue | undefined {
  if (kind.kind === 'object') {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return void src.add(path, `expected a mapping (key: value), got ${describe(value)}`);
    const out: Record<string, VarValue> = {};
    for (const [key, v] of Object.entries(value)) {
      const field = kind.fields[key];
      if (!field) {
        src.add([...path, key], `unknown key '${key}'${didYouMean(key, Object.keys(kind.fields))}; allowed here: ${Object.keys(kind.fields).join(', ')}`, 'key');
        continue;
      }
      const checked = checkValue(field, v, [...path, key], src, env);
      if (checked !== undefined) out[key] = checked;
    }
    return out;
  }
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
  const plain = isSecret(sub.value) ? sub.value.reveal() : sub.value;
  const shown = isSecret(sub.value) ? 'the value from the dotenv file' : `'${plain}'`;
  if (kind.kind === 'password') {
    if (plain.length === 0) return void src.add(path, `must not be empty`);
    if (plain.includes('\0')) return void src.add(path, `must not contain a NUL character`);
    return isSecret(sub.value) ? sub.value : new Secret(plain, `${path.join('.')} in ${src.displayFile}`);
  }
  if (kind.kind === 'enum' && !kind.values.includes(plain)) {
    return void src.add(path, `must be one of ${kind.values.join(', ')}, got ${shown}${didYouMean(plain, kind.values)}`);
  }
  if (kind.kind === 'text' && !kind.rule.test(plain)) {
    return void src.add(path, `${shown} is not valid here: use ${kind.rule.expected}`);
  }
  return sub.value;
}
