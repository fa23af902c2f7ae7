import type { X509Certificate } from 'node:crypto';
import { dirname, join } from 'node:path';
import { ConfigError } from '../../errors.js';
import type { Inventory } from '../../model/inventory.js';
import type { ContentSeal } from '../../model/seal.js';
import type { NodeVaultCipher } from '../../render/render-inventory.js';
import { cachedVaultCipher, type VaultCipher } from '../../secrets/vault-cache.js';
import { vaultCertificateOf, vaultKeySource } from '../../secrets/vault-keystore.js';
import type { VaultTransformation } from '../../secrets/secure-vault.js';
import { lazyInventorySeal } from '../../secrets/plan-key.js';

/** Where the controller keeps the ciphertexts it wrote (src/secrets/vault-cache.ts), beside the internal CA's files. */
export const vaultCacheDir = (inv: Inventory): string => join(dirname(inv.file), '.apim-deploy', inv.name, 'vault');

/**
 * Carbon's default: cipher-tool and the runtime's FileBaseSecretRepository use `org.wso2.CipherTransformation`, else
 * "RSA" (PKCS#1 v1.5), and the 4.x packs set no such property (src/secrets/secure-vault.ts names the sources).
 */
const TRANSFORMATION: VaultTransformation = 'RSA';

/** The cipher each node's secure vault values are encrypted with: its keystore's certificate, cached ciphertexts. */
export function inventoryVaultCipher(inv: Inventory, seal: ContentSeal = lazyInventorySeal(inv.file)): NodeVaultCipher {
  const certs = new Map<string, X509Certificate>();
  const ciphers = new Map<string, VaultCipher>();
  const dir = vaultCacheDir(inv);
  return (ctx, runtime) => {
    const own = (ctx.tls?.keystores ?? []).map((k) => ({ which: k.which, entry: k.entry, bytes: () => Buffer.from(k.base64.reveal(), 'base64') }));
    const source = vaultKeySource(own, () => {
      const zip = runtime.distribution ? inv.apim.distributions[runtime.distribution] : undefined;
      if (!zip) throw new ConfigError(`${ctx.host}: secure_vault needs the ${runtime.distribution ?? 'WSO2'} distribution zip to read its keystore`);
      return { distributionZip: zip.path, password: ctx.vars.keystore_password.reveal() };
    });
    const id = source.kind === 'own' ? `own\0${source.entry.file}\0${source.entry.alias}` : `pack\0${source.distributionZip}`;
    let cert = certs.get(id);
    if (!cert) certs.set(id, (cert = vaultCertificateOf(source)));
    let cipher = ciphers.get(cert.fingerprint256);
    if (!cipher) ciphers.set(cert.fingerprint256, (cipher = cachedVaultCipher(dir, seal, cert, TRANSFORMATION)));
    return cipher;
  };
}
