import { createHash, timingSafeEqual, X509Certificate } from 'node:crypto';

/**
 * Reads the certificates of a JKS keystore (Sun's format: magic FEEDFEED, version 2, entries, then a SHA-1 digest
 * keyed by the store password). Only public parts are read: a private key entry's certificate chain, a trusted
 * certificate entry's certificate. The private keys stay encrypted and are never touched. The store password is
 * checked against the trailing digest, the way `keytool -list -storepass` does, so a wrong password is found on the
 * controller before a node refuses it.
 */
export interface JksEntry {
  readonly alias: string;
  readonly kind: 'private-key' | 'trusted-cert';
  /** The certificate chain, leaf first (one certificate for a trusted entry). */
  readonly chain: readonly X509Certificate[];
}

export class JksError extends Error {}

const MAGIC = 0xfeedfeed;
/** The digest's salt, from Sun's JavaKeyStore (sun.security.provider.JavaKeyStore#getPreKeyedHash). */
const WHITENER = Buffer.from('Mighty Aphrodite', 'utf8');

class Reader {
  at = 0;
  constructor(readonly buf: Buffer) {}
  need(n: number): void {
    if (this.at + n > this.buf.length) throw new JksError('keystore is truncated');
  }
  u16(): number {
    this.need(2);
    return this.buf.readUInt16BE((this.at += 2) - 2);
  }
  u32(): number {
    this.need(4);
    return this.buf.readUInt32BE((this.at += 4) - 4);
  }
  bytes(n: number): Buffer {
    this.need(n);
    return this.buf.subarray(this.at, (this.at += n));
  }
  /** Java's DataInput.readUTF (aliases and certificate types are ASCII in practice). */
  utf(): string {
    return this.bytes(this.u16()).toString('utf8');
  }
}

function certificate(r: Reader, version: number): X509Certificate {
  if (version === 2) {
    const type = r.utf();
    if (type !== 'X.509') throw new JksError(`unsupported certificate type ${type}`);
  }
  const der = r.bytes(r.u32());
  try {
    return new X509Certificate(der);
  } catch (err) {
    throw new JksError(`a certificate in the keystore does not parse: ${(err as Error).message}`);
  }
}

/** The store password as JKS keys its digest: each UTF-16 code unit, big-endian. */
function passwordBytes(password: string): Buffer {
  const out = Buffer.alloc(password.length * 2);
  for (let i = 0; i < password.length; i++) out.writeUInt16BE(password.charCodeAt(i), i * 2);
  return out;
}

export function readJks(bytes: Buffer, storePassword: string): JksEntry[] {
  const r = new Reader(bytes);
  if (bytes.length < 12 || r.u32() !== MAGIC) throw new JksError('not a JKS keystore (a PKCS12 file is read with its own tools)');
  const version = r.u32();
  if (version !== 1 && version !== 2) throw new JksError(`unsupported JKS version ${version}`);
  const entries: JksEntry[] = [];
  for (let count = r.u32(), i = 0; i < count; i++) {
    const tag = r.u32();
    const alias = r.utf();
    r.bytes(8); // creation date
    if (tag === 1) {
      r.bytes(r.u32()); // the encrypted private key: not ours to read
      const chain: X509Certificate[] = [];
      for (let n = r.u32(), j = 0; j < n; j++) chain.push(certificate(r, version));
      entries.push({ alias, kind: 'private-key', chain });
    } else if (tag === 2) {
      entries.push({ alias, kind: 'trusted-cert', chain: [certificate(r, version)] });
    } else {
      throw new JksError(`unsupported JKS entry type ${tag} (alias ${alias})`);
    }
  }
  const signed = bytes.subarray(0, r.at);
  const digest = r.bytes(20);
  const expected = createHash('sha1').update(passwordBytes(storePassword)).update(WHITENER).update(signed).digest();
  if (!timingSafeEqual(digest, expected)) throw new JksError('keystore password is incorrect (or the keystore was altered)');
  return entries;
}
