import type { X509Certificate } from 'node:crypto';
import { closeSync, constants, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { ContentSeal } from '../model/seal.js';
import type { Secret } from '../model/secret.js';
import { encryptForVault, type VaultTransformation } from './secure-vault.js';

/**
 * Secure vault ciphertexts that stay put. RSA padding is random, so encrypting an unchanged secret again gives new
 * bytes, a changed deployment.toml and a restart on every run. The controller cannot check the host's current value
 * (it holds no private key for the pack keystore), so it remembers what it wrote: one file per secret under
 * `.apim-deploy/<name>/vault/`, named by an HMAC under the plan key of (certificate, transformation, alias,
 * plaintext). A changed password, alias or key is a new name, hence a new ciphertext; the name tells nothing about
 * the password without the plan key. Lose the directory and the next run re-encrypts (one restart).
 */
export interface VaultCipher {
  encrypt(alias: string, secret: Secret): string;
}

const CIPHERTEXT = /^[A-Za-z0-9+/]+=*$/;

export function cachedVaultCipher(dir: string, seal: ContentSeal, cert: X509Certificate, transformation: VaultTransformation): VaultCipher {
  return {
    encrypt(alias, secret) {
      const name = seal.digest('vault', [cert.fingerprint256, transformation, alias, secret.reveal()].join('\0')).replace(/^hmac:/, '');
      const file = join(dir, name);
      const known = readCached(file);
      if (known) return known;
      const fresh = encryptForVault(cert, secret.reveal(), transformation);
      writeCached(dir, file, fresh);
      return fresh;
    },
  };
}

function readCached(file: string): string | undefined {
  try {
    const text = readFileSync(file, 'latin1').trim();
    return CIPHERTEXT.test(text) ? text : undefined; // a damaged entry is simply re-encrypted
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Written beside and renamed over, so a run beside us never reads half a file. */
function writeCached(dir: string, file: string, ciphertext: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, 0o600);
  try {
    writeSync(fd, `${ciphertext}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}
