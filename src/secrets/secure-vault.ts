import { constants, publicEncrypt, type X509Certificate } from 'node:crypto';
import { ConfigError } from '../errors.js';

/**
 * WSO2 secure vault values as Carbon reads them at start-up: each secret encrypted with the public key of the
 * keystore the vault is keyed to, base64 of the raw RSA cipher bytes, under `[secrets]` in deployment.toml and
 * referenced as `$secret{alias}`.
 *
 * Sources (read for this file):
 * - wso2/docs-apim .../logins-and-passwords/working-with-encrypted-passwords.md: `[secrets]` at the end of
 *   deployment.toml, `alias = "<cipher text>"`, references `"$secret{alias}"`; the keys are the internal keystore's
 *   if one is configured, else the primary keystore's.
 * - wso2 cipher-tool org.wso2.ciphertool.utils.Constants / AsymmetricCipher: the transformation is the system
 *   property `org.wso2.CipherTransformation`, else "RSA" (SunJCE: RSA/ECB/PKCS1Padding); the runtime's
 *   FileBaseSecretRepository reads the same property (or `keystore.identity.CipherTransformation` in
 *   secret-conf.properties) and decodes the value as base64 before decrypting.
 * Which of the two a 4.x pack runs with depends on whether its carbon.properties sets the property: the packs'
 * sources we could read do not show it, so the transformation is a parameter here, not a guess.
 */
export type VaultTransformation = 'RSA/ECB/OAEPwithSHA1andMGF1Padding' | 'RSA';

export const VAULT_TRANSFORMATIONS: readonly VaultTransformation[] = ['RSA/ECB/OAEPwithSHA1andMGF1Padding', 'RSA'];

/** One secret encrypted for a certificate's RSA key, as base64 (RSA-OAEP and PKCS#1 v1.5 are randomized: never stable). */
export function encryptForVault(cert: X509Certificate, plain: string, transformation: VaultTransformation): string {
  const key = cert.publicKey;
  if (key.asymmetricKeyType !== 'rsa') {
    throw new ConfigError(`secure vault needs an RSA key; the certificate ${cert.subject.replace(/\n/g, ', ')} has ${key.asymmetricKeyType}`, [], 'key the vault to an RSA keystore (keystores.internal or keystores.primary)');
  }
  const padding = transformation === 'RSA' ? constants.RSA_PKCS1_PADDING : constants.RSA_PKCS1_OAEP_PADDING;
  // Java's OAEPwithSHA1andMGF1Padding: SHA-1 for the OAEP digest and for MGF1, empty label (Node's defaults with sha1).
  const cipher = publicEncrypt({ key, padding, ...(padding === constants.RSA_PKCS1_OAEP_PADDING ? { oaepHash: 'sha1' } : {}) }, Buffer.from(plain, 'utf8'));
  return cipher.toString('base64');
}

/** `$secret{alias}`: what deployment.toml says in place of a secret. */
export const secretReference = (alias: string): string => `$secret{${alias}}`;

/** Aliases are TOML bare keys and Carbon property names: letters, digits, `_`, `.`, `-`. */
export const VAULT_ALIAS = /^[A-Za-z0-9_.-]+$/;

