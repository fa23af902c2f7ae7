import type { X509Certificate } from 'node:crypto';
import { readZipEntry, zipDirectory, ZipFormatError } from '../files/zip-directory.js';
import { ConfigError } from '../errors.js';
import { openKeystore } from '../files/keystore.js';
import type { KeystoreEntry, NodeVars } from '../model/vars.js';
import { JksError, readJks } from './jks.js';

/** The keystore a node's secure vault is keyed to, as the inventory describes it. */
export interface VaultKeystoreSpec {
  /** Path inside the distribution, e.g. repository/resources/security/wso2carbon.jks. */
  readonly file: string;
  readonly alias: string;
  readonly password: string;
}

/** The pack's own keystore (wso2/product-apim v4.6.0 deployment.toml [keystore.primary] defaults). */
export const PACK_PRIMARY_KEYSTORE = { file: 'repository/resources/security/wso2carbon.jks', alias: 'wso2carbon' } as const;

/**
 * Where a node's vault key lives: one of the operator's keystores (inventory `keystores`, read on the controller by
 * the workflow) or the pack's wso2carbon.jks inside the distribution zip.
 */
export type VaultKeySource =
  | { readonly kind: 'own'; readonly which: 'internal' | 'primary'; readonly entry: KeystoreEntry; readonly bytes: Buffer }
  | { readonly kind: 'pack'; readonly distributionZip: string; readonly password: string };

/**
 * The node's vault key source. Carbon's secure vault uses the internal keystore when one is configured, else the
 * primary one (wso2/docs-apim .../working-with-encrypted-passwords.md; carbon-kernel default.json: [keystore.internal]
 * defaults to [keystore.primary]); without own keystores that is the pack's wso2carbon.jks.
 */
export function vaultKeySource(own: readonly { readonly which: string; readonly entry: KeystoreEntry; readonly bytes: () => Buffer }[], pack: () => { distributionZip: string; password: string }): VaultKeySource {
  for (const which of ['internal', 'primary'] as const) {
    const k = own.find((o) => o.which === which);
    if (k) return { kind: 'own', which, entry: k.entry, bytes: k.bytes() };
  }
  return { kind: 'pack', ...pack() };
}

/** THE lookup of the certificate whose public key encrypts a node's secrets, read on the controller. */
export function vaultCertificateOf(source: VaultKeySource): X509Certificate {
  if (source.kind === 'pack') return vaultCertificate(source.distributionZip, { ...PACK_PRIMARY_KEYSTORE, password: source.password });
  const e = source.entry;
  const opened = openKeystore(source.bytes, e.type, e.password.reveal(), e.alias, e.key_password.reveal());
  // validate opened it already (src/inventory/rules): a failure here means the file changed since.
  if (!opened.ok) throw new ConfigError(`keystores.${source.which} (${e.file}): ${opened.message}: secure vault cannot be keyed to it`);
  return opened.entry.chain[0]!;
}

/** The certificate of the pack's keystore, read from the distribution zip. */
export function vaultCertificate(distributionZip: string, spec: VaultKeystoreSpec): X509Certificate {
  let bytes: Buffer;
  try {
    const entry = zipDirectory(distributionZip).find((e) => e.name === spec.file || e.name.endsWith(`/${spec.file}`));
    if (!entry) throw new ConfigError(`${distributionZip} has no ${spec.file}: secure vault cannot be keyed to it`);
    bytes = readZipEntry(distributionZip, entry);
  } catch (err) {
    if (err instanceof ZipFormatError) throw new ConfigError(`${distributionZip} ${err.message}`);
    throw err;
  }
  try {
    const found = readJks(bytes, spec.password).find((e) => e.alias === spec.alias && e.kind === 'private-key');
    if (!found?.chain[0]) throw new ConfigError(`${spec.file} in ${distributionZip} has no key entry '${spec.alias}'`);
    return found.chain[0];
  } catch (err) {
    if (err instanceof JksError) throw new ConfigError(`${spec.file} in ${distributionZip}: ${err.message}`);
    throw err;
  }
}

/**
 * What Carbon's password-tmp / password-persist holds: the vault keystore's password (the internal keystore's, else
 * the primary one's, else keystore_password for the pack's wso2carbon.jks), and the private key's password on a
 * second line when it differs (wso2/docs-apim .../working-with-encrypted-passwords.md, "Start server as a background
 * job": the provider assumes both are the same, else the key password is on the second line).
 */
export function vaultPasswordFile(vars: NodeVars): string {
  const own = vars.keystores.internal ?? vars.keystores.primary;
  const store = (own?.password ?? vars.keystore_password).reveal();
  const key = (own?.key_password ?? vars.keystore_password).reveal();
  return key === store ? `${store}\n` : `${store}\n${key}\n`;
}
