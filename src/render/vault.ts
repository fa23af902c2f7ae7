import { ConfigError } from '../errors.js';
import type { Secret } from '../model/secret.js';
import type { VaultCipher } from '../secrets/vault-cache.js';
import { secretReference } from '../secrets/secure-vault.js';
import type { VaultSink } from './escapers.js';

/**
 * Secure vault in deployment.toml (wso2/docs-apim .../working-with-encrypted-passwords.md): each secret apim-deploy
 * writes becomes `"$secret{alias}"` and a `[secrets]` table at the end of the file holds `alias = "<ciphertext>"`.
 * While the file renders, secrets become numbered marks (the escaper does not know the key a value lands under);
 * `sealVault` then names each alias after its table and key (`keystore.primary.password` -> keystore_primary_password,
 * the n-th `[[a.b]]` -> a_b_<n>_key), so an operator reading the file sees what each one is.
 */
const MARK = 'apim-deploy-vault-';
const MARKED = new RegExp(`\\$secret\\{${MARK}(\\d+)\\}`, 'g');
const HEADER = /^\s*(\[\[?)\s*(.+?)\s*\]\]?\s*(#.*)?$/;
const KEY = /^\s*((?:"[^"]*"|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|[A-Za-z0-9_-]+))*)\s*=/;

export class VaultCollector implements VaultSink {
  readonly secrets: Secret[] = [];
  reference(secret: Secret): string {
    this.secrets.push(secret);
    return secretReference(`${MARK}${this.secrets.length - 1}`);
  }
}

const aliasPart = (text: string): string => text.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '');

/** Replaces the marks with named aliases and appends `[secrets]`; without marks the text is returned as it is. */
export function sealVault(content: string, collected: VaultCollector, cipher: VaultCipher): string {
  if (collected.secrets.length === 0) return content;
  if (/^\s*\[\s*secrets\s*\]/m.test(content)) {
    throw new ConfigError('deployment_toml writes a [secrets] table while secure_vault is on: apim-deploy writes that table itself', [], 'remove [secrets] from deployment_toml, or switch secure_vault off');
  }
  const aliases = new Map<number, string>();
  const taken = new Set<string>();
  const arrays = new Map<string, number>();
  let table = '';
  const lines = content.split('\n').map((line) => {
    const header = HEADER.exec(line);
    if (header && !line.includes('=')) {
      const name = header[2]!;
      if (header[1] === '[[') {
        const n = arrays.get(name) ?? 0;
        arrays.set(name, n + 1);
        table = `${name}.${n}`;
      } else table = name;
      return line;
    }
    return line.replace(MARKED, (_m, index: string) => {
      const key = KEY.exec(line)?.[1] ?? `secret_${index}`;
      const base = aliasPart(`${table}.${key}`) || `secret_${index}`;
      let alias = base;
      for (let i = 2; taken.has(alias); i++) alias = `${base}_${i}`;
      taken.add(alias);
      aliases.set(Number(index), alias);
      return secretReference(alias);
    });
  });
  const entries = [...aliases].map(([index, alias]) => `${alias} = "${cipher.encrypt(alias, collected.secrets[index]!)}"`);
  const body = lines.join('\n').replace(/\n*$/, '\n');
  return `${body}\n# Secure vault: each value is encrypted with the public key of this node's keystore; Carbon decrypts them at start-up.\n[secrets]\n${entries.join('\n')}\n`;
}
