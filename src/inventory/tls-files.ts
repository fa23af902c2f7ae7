import type { X509Certificate } from 'node:crypto';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { ConfigIssue } from '../errors.js';
import type { RoleCatalog } from '../catalog/roles.js';
import { isWso2Role } from '../catalog/variants.js';
import { namesCovered, openKeystore, pemCertificates } from '../files/keystore.js';
import type { KeystoreEntry } from '../model/vars.js';
import { expiryOf } from '../model/cert-expiry.js';
import type { DocPath, YamlSource } from '../yaml/source.js';
import type { HostDraft } from './hosts.js';
import type { DraftNode } from './nodes.js';

/** Largest keystore, certificate or key file read (a real one is a few KiB). */
const MAX_BYTES = 1024 * 1024;

export interface TlsFileContext {
  readonly src: YamlSource;
  /** The inventory's folder: the files are relative to it. */
  readonly dir: string;
  readonly nodes: readonly DraftNode[];
  readonly hosts: ReadonlyMap<string, HostDraft>;
  readonly catalog: RoleCatalog;
  readonly now: Date;
}

export const controllerPath = (dir: string, file: string): string => (isAbsolute(file) ? file : resolve(dir, file));

function readFile(path: string): Buffer | string {
  try {
    const bytes = readFileSync(path);
    return bytes.length > MAX_BYTES ? `is larger than ${MAX_BYTES} bytes: not a keystore or PEM file` : bytes;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a folder' : `cannot be read (${code ?? (e as Error).message})`;
  }
}

/**
 * Opens every keystore, CA file and balancer certificate the inventory names, where it names it (file:line): the file
 * exists, the keystore opens with its type and password, the alias holds a private key that opens with key_password.
 * Errors: anything Carbon or the balancer would refuse at start, and an expired certificate. Warnings (returned):
 * a certificate expiring within 30 days, and one that names neither the node's host name nor its address (peers that
 * verify host names, as Carbon's default verifier does, would refuse it; a balancer in front may not, so it is not an error).
 */
export function checkTlsFiles(ctx: TlsFileContext): ConfigIssue[] {
  const warnings: ConfigIssue[] = [];
  const seen = new Set<string>();
  const once = (at: DocPath, host: string): boolean => {
    const key = `${at.join('\0')}|${host}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  const warn = (at: DocPath, message: string): void => void warnings.push({ ...ctx.src.pos(at), path: at.join('.'), message });
  const checkCert = (cert: X509Certificate, at: DocPath, what: string, names: readonly string[]): void => {
    const e = expiryOf(cert, ctx.now);
    if (e.level === 'error') ctx.src.add(at, `${what} expired on ${e.notAfter} (${cert.subject.replace(/\n/g, ', ')})`);
    else if (e.level === 'warning') warn(at, `${what} expires on ${e.notAfter}, in ${e.daysLeft} day(s)`);
    if (names.length > 0 && !namesCovered(cert, names)) warn(at, `${what} names none of ${names.join(', ')} (its names: ${cert.subjectAltName ?? cert.subject.replace(/\n/g, ', ')})`);
  };

  for (const n of ctx.nodes) {
    const host = ctx.hosts.get(n.host);
    const names = host ? [n.host, host.address] : [n.host];
    const wso2 = isWso2Role(ctx.catalog[n.role]);
    const keystores = n.vars.values['keystores'] as Readonly<Record<string, KeystoreEntry | null>>;
    for (const which of ['primary', 'tls', 'internal'] as const) {
      const entry = keystores[which];
      const at = n.vars.origin.get(`keystores.${which}`);
      if (!entry || !at || !wso2 || !once(at, n.host)) continue;
      // The TLS keystore (primary when no tls) is what peers and clients see: it must name the node.
      const served = which === 'tls' || (which === 'primary' && !keystores['tls']);
      checkKeystore(entry, at, served ? names : [], `${which} keystore`);
    }
    const trust = n.vars.values['truststore'] as readonly string[];
    const trustAt = n.vars.origin.get('truststore');
    if (wso2 && trustAt && once(trustAt, '*')) {
      trust.forEach((file, i) => {
        const bytes = readFile(controllerPath(ctx.dir, file));
        if (typeof bytes === 'string') return ctx.src.add([...trustAt, i], `${file} ${bytes}`);
        const certs = safeCerts(bytes.toString('utf8'));
        if (certs.length === 0) return ctx.src.add([...trustAt, i], `${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
        certs.forEach((c) => checkCert(c, [...trustAt, i], `CA certificate ${c.subject.replace(/\n/g, ', ')} in ${file}`, []));
      });
    }
    const lb = n.vars.values['load_balancer_tls'] as { certificate: string; key: string } | null;
    const lbAt = n.vars.origin.get('load_balancer_tls');
    if (lb && lbAt && n.role === 'load-balancer' && once(lbAt, n.host)) checkBalancer(lb, lbAt, names);
  }
  return warnings;

  function checkKeystore(entry: KeystoreEntry, at: DocPath, names: readonly string[], what: string): void {
    const bytes = readFile(controllerPath(ctx.dir, entry.file));
    if (typeof bytes === 'string') return ctx.src.add([...at, 'file'], `${entry.file} ${bytes}`);
    const r = openKeystore(bytes, entry.type, entry.password.reveal(), entry.alias, entry.key_password.reveal());
    if (!r.ok) {
      const where: DocPath = r.reason === 'alias' || r.reason === 'no-key' ? [...at, 'alias'] : r.reason === 'password' ? [...at, 'password'] : [...at, 'file'];
      const known = r.aliases ? `; it holds ${r.aliases.map((a) => `"${a}"`).join(', ') || 'no entry'}` : '';
      const hint = r.reason === 'unreadable' ? ` (is it a ${entry.type} keystore? set type: ${entry.type === 'JKS' ? 'PKCS12' : 'JKS'} if not)` : '';
      return ctx.src.add(where, `${what} ${entry.file}: ${r.message}${known}${hint}`);
    }
    checkCert(r.entry.chain[0]!, at, `${what} ${entry.file} (alias ${entry.alias}) certificate`, names);
  }

  function checkBalancer(lb: { certificate: string; key: string }, at: DocPath, names: readonly string[]): void {
    const cert = readFile(controllerPath(ctx.dir, lb.certificate));
    const key = readFile(controllerPath(ctx.dir, lb.key));
    if (typeof cert === 'string') ctx.src.add([...at, 'certificate'], `${lb.certificate} ${cert}`);
    if (typeof key === 'string') ctx.src.add([...at, 'key'], `${lb.key} ${key}`);
    if (typeof cert === 'string' || typeof key === 'string') return;
    const certs = safeCerts(cert.toString('utf8'));
    if (certs.length === 0) return ctx.src.add([...at, 'certificate'], `${lb.certificate} holds no PEM certificate`);
    let priv;
    try {
      priv = createPrivateKey(key);
    } catch {
      return ctx.src.add([...at, 'key'], `${lb.key} is not an unencrypted PEM private key (the balancer reads it without a passphrase)`);
    }
    const pub = (k: ReturnType<typeof createPublicKey>): string => k.export({ type: 'spki', format: 'der' }).toString('base64');
    if (pub(createPublicKey(priv)) !== pub(certs[0]!.publicKey)) return ctx.src.add([...at, 'key'], `${lb.key} is not the key of the certificate in ${lb.certificate}`);
    checkCert(certs[0]!, at, `balancer certificate ${lb.certificate}`, names);
  }
}

function safeCerts(pem: string): X509Certificate[] {
  try {
    return pemCertificates(pem);
  } catch {
    return [];
  }
}
