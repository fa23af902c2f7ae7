/**
 * Carbon's secure vault at start-up (sources: docsVault, cipherTool in sim/rules/sources.ts). A deployment.toml with
 * a `[secrets]` table has its values encrypted with the public key of the internal keystore ([keystore.internal],
 * else [keystore.primary], else the pack's wso2carbon.jks); `$secret{alias}` elsewhere stands for the decrypted value.
 * The keystore password comes from `password-tmp` in carbon.home (read, then deleted unless -Dpersist.password=true),
 * else `password-persist` (kept); a second line is the private key's password when it differs. Decryption is the
 * lab JDK's own javax.crypto.Cipher (sim/java/SimTls.java `vault`), transformation from
 * -Dorg.wso2.CipherTransformation, else "RSA". Any value that does not decrypt stops the node.
 */
import { existsSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { runSimTls, type JavaRuntime } from './jsse.js';
import type { TomlTable } from './placeholders.js';
import { KEYSTORE_DEFAULTS } from '../rules/defaults.js';

export type VaultResult =
  | { readonly ok: true; readonly secrets: ReadonlyMap<string, string>; readonly notes: readonly string[] }
  | { readonly ok: false; readonly errors: readonly string[] };

const PASSWORD_FILES = ['password-tmp', 'password-persist'] as const;
const table = (v: unknown): TomlTable | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) ? (v as TomlTable) : undefined);

/** The keystore password (and the key's, line 2), as Carbon's default secret callback handler finds it. */
export function readVaultPassword(carbonHome: string, systemProperties: Readonly<Record<string, string>>): { store: string; key: string; from: string } | null {
  for (const name of PASSWORD_FILES) {
    const file = join(carbonHome, name);
    if (!existsSync(file)) continue;
    const lines = readFileSync(file, 'utf8').split(/\r?\n/);
    if (name === 'password-tmp' && systemProperties['persist.password'] !== 'true') unlinkSync(file);
    const store = lines[0] ?? '';
    return { store, key: lines[1] ? lines[1] : store, from: name };
  }
  return null;
}

export async function openVault(java: JavaRuntime, carbonHome: string, systemProperties: Readonly<Record<string, string>>): Promise<VaultResult> {
  let doc: TomlTable;
  try {
    doc = parse(readFileSync(join(carbonHome, 'repository', 'conf', 'deployment.toml'), 'utf8')) as TomlTable;
  } catch {
    return { ok: true, secrets: new Map(), notes: [] }; // the config mapper reports a file that does not parse
  }
  const secrets = table(doc['secrets']);
  if (!secrets || Object.keys(secrets).length === 0) return { ok: true, secrets: new Map(), notes: [] };
  const password = readVaultPassword(carbonHome, systemProperties);
  if (!password) {
    // The product would prompt "[Enter KeyStore and Private Key Password :]" on a console a daemon does not have.
    return { ok: false, errors: ['Secure Vault: no password-tmp or password-persist in carbon.home and no console to ask for the keystore password: the secret repository cannot be initialised'] };
  }
  const keystores = table(doc['keystore']) ?? {};
  const ks = table(keystores['internal']) ?? table(keystores['primary']) ?? {};
  const d = KEYSTORE_DEFAULTS.primary;
  const field = (f: 'file_name' | 'type' | 'alias'): string => (typeof ks[f] === 'string' ? (ks[f] as string) : d[f]);
  const path = join(carbonHome, 'repository', 'resources', 'security', field('file_name'));
  const aliases = Object.keys(secrets);
  const transformation = systemProperties['org.wso2.CipherTransformation'] ?? 'RSA';
  const out = await runSimTls(java, ['vault', transformation], [path, field('type'), password.store, field('alias'), password.key, ...aliases.map((a) => String(secrets[a]))]);
  if (out.startsWith('ERROR ')) {
    const why = out.slice('ERROR '.length).trim();
    return { ok: false, errors: [`Error while loading the keystore of the secret repository (${path}, password from ${password.from}): ${why}`] };
  }
  const lines = out.split('\n').filter((l) => l !== '');
  const resolved = new Map<string, string>();
  const errors: string[] = [];
  aliases.forEach((alias, i) => {
    const line = lines[i] ?? 'FAIL no answer';
    if (line.startsWith('OK ')) resolved.set(alias, Buffer.from(line.slice(3), 'base64').toString('utf8'));
    else errors.push(`Error decrypting the secret of alias ${alias} with the key ${field('alias')} of ${path}: ${line.replace(/^FAIL /, '')}`);
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, secrets: resolved, notes: [`secure vault: ${resolved.size} secret(s) decrypted with ${field('alias')} of ${field('file_name')} (password from ${password.from})`] };
}
