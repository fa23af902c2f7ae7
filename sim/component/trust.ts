/**
 * TLS trust as Carbon's HTTP clients decide it: against the node's own [truststore] only (defaults in
 * sim/rules/defaults.ts), by JSSE (jsse.ts). A verdict is cached per truststore content, peer and the peer's leaf
 * certificate, so a node retrying an untrusted peer every 2 s starts no JVM, and a changed truststore or peer
 * certificate is judged afresh. Network failures are not cached.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { checkPeerTrust, type JavaRuntime, type StoreSpec, type TrustVerdict } from './jsse.js';

export interface TrustStats {
  jvmChecks: number;
  jvmMillis: number;
  cacheHits: number;
}

export class TrustVerifier {
  readonly stats: TrustStats = { jvmChecks: 0, jvmMillis: 0, cacheHits: 0 };
  private readonly verdicts = new Map<string, Promise<TrustVerdict>>();

  constructor(
    private readonly java: JavaRuntime,
    private readonly store: StoreSpec,
  ) {}

  private storeDigest(): string {
    try {
      return createHash('sha256').update(readFileSync(this.store.path)).digest('hex');
    } catch {
      return 'missing';
    }
  }

  /** null when the peer is trusted, else JSSE's error text (e.g. "javax.net.ssl.SSLHandshakeException: PKIX path building failed: ..."). */
  async verify(host: string, port: number, observedLeaf: string): Promise<string | null> {
    const base = `${this.storeDigest()}|${host}|${port}`;
    const known = this.verdicts.get(`${base}|${observedLeaf}`);
    let verdict: TrustVerdict;
    if (known) {
      this.stats.cacheHits++;
      verdict = await known;
    } else {
      const started = Date.now();
      const pending = checkPeerTrust(this.java, this.store, host, port).catch((err: Error): TrustVerdict => ({ kind: 'error', error: err.message }));
      this.verdicts.set(`${base}|${observedLeaf}`, pending);
      verdict = await pending;
      this.stats.jvmChecks++;
      this.stats.jvmMillis += Date.now() - started;
      const networkFailure = verdict.kind === 'error' && /^java\.net\./.test(verdict.error);
      if (networkFailure || (verdict.kind !== 'error' && verdict.leaf !== observedLeaf)) this.verdicts.delete(`${base}|${observedLeaf}`);
      if (verdict.kind !== 'error' && verdict.leaf !== observedLeaf) this.verdicts.set(`${base}|${verdict.leaf}`, Promise.resolve(verdict));
    }
    return verdict.kind === 'trusted' ? null : verdict.error;
  }
}

/** Node's `fingerprint256` ("AB:CD:...") as the helper prints it (lower-case hex). */
export const leafFingerprint = (fingerprint256: string): string => fingerprint256.replace(/:/g, '').toLowerCase();
