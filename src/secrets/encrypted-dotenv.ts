import { createRequire } from 'node:module';
import { parse } from 'dotenv';
import { ConfigError, UsageError } from '../errors.js';
import { readBounded, utf8Text } from '../files/bounded-read.js';

/**
 * Encrypted dotenv files in the dotenvx format (https://dotenvx.com/encryption): each value `encrypted:<base64>`,
 * ECIES over secp256k1 for the file's `DOTENV_PUBLIC_KEY`, so the file can be committed and only holders of the
 * private key read it. Made with the dotenvx CLI (`dotenvx encrypt -f lab.env`); decrypted here, on the controller,
 * with @dotenvx/primitives (the format's own zero-dependency crypto: no expansion, no `$(command)` evaluation, no
 * process.env). The private key comes from a file or a variable the operator names; nothing is looked for.
 */
export type KeySource = { readonly file: string } | { readonly processVariable: string };

const HEX_KEY = /^[0-9a-f]{64}$/i;

type Primitives = typeof import('@dotenvx/primitives');
let primitives: Primitives | undefined;
/**
 * @dotenvx/primitives, loaded only when a file holds encrypted values: evaluating its secp256k1 code was ~7 % of
 * `validate`'s CPU for every inventory. Required from here, beside the sources, so the bundle leaves it to node_modules.
 */
const dotenvx = (): Primitives => (primitives ??= createRequire(import.meta.url)('@dotenvx/primitives') as Primitives);
/** The format's marker, as primitives' own `encrypted()` tests it (a prefix), without loading the package to ask. */
const encrypted = (value: string): boolean => value.startsWith('encrypted:');
const KEY_HINT = 'pass the private key with --env-key-file FILE (dotenvx\'s .env.keys, or a file holding the hex key) or --env-key-from-process NAME';

/** The candidate private keys a source holds (a .env.keys file may hold one per environment). */
function candidateKeys(source: KeySource, env: NodeJS.ProcessEnv): { keys: string[]; shown: string } {
  if ('processVariable' in source) {
    const value = Object.prototype.hasOwnProperty.call(env, source.processVariable) ? env[source.processVariable] : undefined;
    if (!value) throw new UsageError(`--env-key-from-process: ${source.processVariable} is not set in the environment`, KEY_HINT);
    return { keys: value.split(',').map((k) => k.trim()).filter((k) => k !== ''), shown: `variable ${source.processVariable}` };
  }
  const read = readBounded(source.file, 64 * 1024);
  if (!read.ok) throw new UsageError(`--env-key-file ${source.file} ${read.message}`, KEY_HINT);
  const text = utf8Text(read.bytes)?.trim() ?? '';
  if (HEX_KEY.test(text)) return { keys: [text], shown: source.file };
  const keys = Object.entries(parse(text)).filter(([k]) => k.startsWith('DOTENV_PRIVATE_KEY')).flatMap(([, v]) => v.split(','));
  return { keys: keys.map((k) => k.trim()).filter((k) => k !== ''), shown: source.file };
}

function derived(key: string): string | undefined {
  try {
    return dotenvx().derive(key);
  } catch {
    return undefined;
  }
}

/**
 * Decrypts every `encrypted:` value of a parsed dotenv file, all or nothing: a missing or wrong key, or one value
 * that does not decrypt, is a ConfigError naming the variables (never a value), thrown before any host is touched.
 */
export function decryptDotenv(values: ReadonlyMap<string, string>, display: string, key: KeySource | undefined,
  env: NodeJS.ProcessEnv = process.env): ReadonlyMap<string, string> {
  const sealed = [...values].filter(([, v]) => encrypted(v)).map(([k]) => k);
  if (sealed.length === 0) return values;
  if (!key) throw new ConfigError(`${display} holds encrypted values (${sealed.join(', ')}) and no private key was given`, [], KEY_HINT);
  const { keys, shown } = candidateKeys(key, env);
  if (keys.length === 0) throw new ConfigError(`${shown} holds no DOTENV_PRIVATE_KEY`, [], KEY_HINT);
  const publicKeys = [...values].filter(([k]) => k.startsWith('DOTENV_PUBLIC_KEY')).map(([, v]) => v.trim());
  const matching = publicKeys.length > 0 ? keys.filter((k) => publicKeys.includes(derived(k) ?? '')) : keys;
  if (matching.length === 0) {
    throw new ConfigError(`the private key in ${shown} does not belong to ${display}: it was encrypted for ${publicKeys.join(', ')}`, [],
      `use the key dotenvx wrote to .env.keys when it encrypted ${display}`);
  }
  const out = new Map<string, string>();
  const failed: string[] = [];
  for (const [name, value] of values) {
    if (!encrypted(value)) {
      out.set(name, value);
      continue;
    }
    const plain = matching.map((k) => tryDecrypt(k, value)).find((v) => v !== undefined);
    if (plain === undefined) failed.push(name);
    else out.set(name, plain);
  }
  if (failed.length > 0) {
    throw new ConfigError(`${failed.join(', ')} in ${display} could not be decrypted with the private key in ${shown} (wrong key, or a damaged value)`, [],
      `encrypt them again with dotenvx for the file's DOTENV_PUBLIC_KEY, or ${KEY_HINT}`);
  }
  return out;
}

function tryDecrypt(key: string, value: string): string | undefined {
  try {
    return dotenvx().decrypt(key, value);
  } catch {
    return undefined;
  }
}
