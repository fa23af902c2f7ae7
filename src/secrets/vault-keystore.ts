import type { X509Certificate } from 'node:crypto';
import { readZipEntry, zipDirectory, ZipFormatError } from '../files/zip-directory.js';
import { ConfigError } from '../errors.js';
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
 * THE lookup of "the node's primary keystore" for secure vault: the certificate whose public key encrypts the
 * node's secrets, read on the controller. Today every node runs the keystore shipped in its distribution zip, so it
 * is read from there; when nodes bring their own keystores (issue 12, i12-tls) this is the one function to point at
 * the node's keystore file instead.
 */
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
