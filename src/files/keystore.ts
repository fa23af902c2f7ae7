/**
 * Opens a JKS or PKCS12 keystore on the controller, as Carbon will on the node: the store password, the alias, its
 * private key under the key password, and its certificate chain. In-process, so the controller needs no Java (the lab
 * JDK's keytool makes the test keystores only): jks-js reads JKS (the Sun format, password digest and key protector),
 * node-forge reads PKCS12 (jks-js's own PKCS12 path assumes every bag has a friendlyName, which openssl's CA bags lack).
 */
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { decrypt, parseJks } from 'jks-js';
import forge from 'node-forge';

export interface KeyEntryFacts {
  /** Leaf first. */
  readonly chain: readonly X509Certificate[];
}

export type OpenResult =
  | { readonly ok: true; readonly entry: KeyEntryFacts }
  | { readonly ok: false; readonly reason: 'password' | 'alias' | 'no-key' | 'unreadable'; readonly message: string; readonly aliases?: readonly string[] };

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate of a PEM text, in order. */
export const pemCertificates = (pem: string): X509Certificate[] => (pem.match(PEM_CERT) ?? []).map((c) => new X509Certificate(c));

/** Opens `bytes` as `type` and finds `alias` (case-insensitive, as Java's keystores compare aliases) with its private key. */
export function openKeystore(bytes: Buffer, type: 'JKS' | 'PKCS12', storePassword: string, alias: string, keyPassword: string): OpenResult {
  try {
    return type === 'PKCS12' ? openPkcs12(bytes, storePassword, alias, keyPassword) : openJks(bytes, storePassword, alias, keyPassword);
  } catch (e) {
    const message = (e as Error).message;
    return { ok: false, reason: /password|MAC could not be verified/i.test(message) ? 'password' : 'unreadable', message };
  }
}

function openJks(bytes: Buffer, storePassword: string, alias: string, keyPassword: string): OpenResult {
  const entries = parseJks(bytes, storePassword);
  const entry = entries.find((e) => e.alias.toLowerCase() === alias.toLowerCase());
  if (!entry) return { ok: false, reason: 'alias', message: `no alias "${alias}"`, aliases: entries.map((e) => e.alias) };
  if (!('protectedPrivateKey' in entry)) return { ok: false, reason: 'no-key', message: `alias "${alias}" holds a trusted certificate, not a private key` };
  try {
    decrypt(entry.protectedPrivateKey, keyPassword);
  } catch (e) {
    return { ok: false, reason: 'password', message: `the key of alias "${alias}" does not open with key_password (${(e as Error).message})` };
  }
  return { ok: true, entry: { chain: entry.chain.map((c) => new X509Certificate(c.value)) } };
}

function openPkcs12(bytes: Buffer, storePassword: string, alias: string, keyPassword: string): OpenResult {
  // Java opens a PKCS12 key with the store password; a different key_password would not open it on the node.
  if (keyPassword !== storePassword) return { ok: false, reason: 'password', message: 'a PKCS12 keystore has one password: key_password must equal password' };
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(bytes.toString('binary'))), storePassword);
  const bags = p12.safeContents.flatMap((c) => c.safeBags);
  const name = (b: forge.pkcs12.Bag): string | undefined => (b.attributes as Record<string, string[] | undefined>)['friendlyName']?.[0];
  const keyId = (b: forge.pkcs12.Bag): string | undefined => (b.attributes as Record<string, string[] | undefined>)['localKeyId']?.[0];
  const named = bags.filter((b) => name(b) !== undefined);
  const match = named.filter((b) => name(b)!.toLowerCase() === alias.toLowerCase());
  if (match.length === 0) return { ok: false, reason: 'alias', message: `no alias "${alias}"`, aliases: [...new Set(named.map((b) => name(b)!))] };
  const key = match.find((b) => b.key !== undefined || b.type === forge.pki.oids.pkcs8ShroudedKeyBag);
  if (!key) return { ok: false, reason: 'no-key', message: `alias "${alias}" holds a trusted certificate, not a private key` };
  const certs = bags.filter((b) => b.type === forge.pki.oids.certBag && b.cert);
  const leaf = certs.find((b) => keyId(b) !== undefined && keyId(b) === keyId(key)) ?? match.find((b) => b.cert);
  if (!leaf?.cert) return { ok: false, reason: 'no-key', message: `alias "${alias}" has no certificate` };
  const x509 = (c: forge.pki.Certificate): X509Certificate => new X509Certificate(forge.pki.certificateToPem(c));
  return { ok: true, entry: { chain: [x509(leaf.cert), ...certs.filter((b) => b !== leaf).map((b) => x509(b.cert!))] } };
}

/** Whether the certificate names any of `names` (host names by RFC 6125 rules, addresses as IP SANs), as a TLS client checks. */
export function namesCovered(cert: X509Certificate, names: readonly string[]): boolean {
  return names.some((n) => (isIP(n) ? cert.checkIP(n) !== undefined : cert.checkHost(n) !== undefined));
}
