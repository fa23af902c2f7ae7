/**
 * The JSSE helper with the machine's OpenJDK 17 (the one the lab JDK is linked from): keystores and trust decisions
 * made by Java, and the trust cache that keeps JVM starts off the retry path. Prints what a check costs.
 */
import { execFileSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPeerTrust, loadKeyMaterial, type JavaRuntime } from '../../../sim/component/jsse.js';
import { TrustVerifier } from '../../../sim/component/trust.js';
import { simJava } from './sim-java.js';

const SECURITY = new URL('../../../sim/resources/security/', import.meta.url).pathname;

describe('JSSE helper (sim/java/SimTls.java)', () => {
  let dir: string;
  let java: JavaRuntime;
  let keytool: string;
  let server: Server;
  let port: number;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sim-jsse-'));
    ({ java, keytool } = await simJava(dir));
    const key = createPrivateKey({ key: readFileSync(join(SECURITY, 'wso2carbon.key')), passphrase: 'wso2carbon' }).export({ type: 'pkcs8', format: 'pem' });
    server = createServer({ key, cert: readFileSync(join(SECURITY, 'wso2carbon.pem')) }, (_q, s) => s.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  }, 120_000);
  afterAll(() => {
    server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const wso2carbon = { path: join(SECURITY, 'wso2carbon.jks'), type: 'JKS', password: 'wso2carbon', alias: 'wso2carbon', keyPassword: 'wso2carbon' };
  const shippedTrust = { path: join(SECURITY, 'client-truststore.jks'), type: 'JKS', password: 'wso2carbon' };

  it('reads the pack key from wso2carbon.jks, and refuses a wrong password with KeyStore\'s own words', async () => {
    const material = await loadKeyMaterial(java, wso2carbon);
    expect(material.key.toString()).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(material.cert.toString()).toBe(readFileSync(join(SECURITY, 'wso2carbon.pem'), 'utf8').replace(/\r/g, ''));
    await expect(loadKeyMaterial(java, { ...wso2carbon, password: 'nope' }))
      .rejects.toThrow(`Keystore was tampered with, or password was incorrect: ${wso2carbon.path}`);
  });

  it('trusts a peer whose certificate is in the truststore; PKIX path building failed otherwise', async () => {
    const started = Date.now();
    expect(await checkPeerTrust(java, shippedTrust, '127.0.0.1', port)).toMatchObject({ kind: 'trusted' });
    console.log(`one JSSE trust check (JVM start included): ${Date.now() - started} ms`);
    execFileSync(keytool, ['-genkeypair', '-alias', 'other', '-keyalg', 'RSA', '-dname', 'CN=other', '-keystore', join(dir, 'other.jks'),
      '-storetype', 'JKS', '-storepass', 'wso2carbon', '-keypass', 'wso2carbon'], { stdio: 'ignore' });
    const verdict = await checkPeerTrust(java, { ...shippedTrust, path: join(dir, 'other.jks') }, '127.0.0.1', port);
    expect(verdict).toMatchObject({ kind: 'untrusted', error: 'javax.net.ssl.SSLHandshakeException: PKIX path building failed: sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid certification path to requested target' });
    expect(await checkPeerTrust(java, shippedTrust, '127.0.0.1', 1)).toMatchObject({ kind: 'error', error: expect.stringMatching(/^java\.net\.ConnectException/) });
  }, 60_000);

  it('caches a verdict per truststore content, peer and certificate: a changed truststore is judged again', async () => {
    const store = join(dir, 'trust.jks');
    copyFileSync(join(dir, 'other.jks'), store);
    const verifier = new TrustVerifier(java, { ...shippedTrust, path: store });
    const leaf = (await checkPeerTrust(java, shippedTrust, '127.0.0.1', port) as { leaf: string }).leaf;
    expect(await verifier.verify('127.0.0.1', port, leaf)).toMatch(/PKIX path building failed/);
    const cachedAt = Date.now();
    expect(await verifier.verify('127.0.0.1', port, leaf)).toMatch(/PKIX path building failed/);
    const cachedMs = Date.now() - cachedAt;
    expect(verifier.stats).toMatchObject({ jvmChecks: 1, cacheHits: 1 });
    execFileSync(keytool, ['-importcert', '-noprompt', '-alias', 'wso2carbon', '-file', join(SECURITY, 'wso2carbon.pem'),
      '-keystore', store, '-storetype', 'JKS', '-storepass', 'wso2carbon'], { stdio: 'ignore' });
    expect(await verifier.verify('127.0.0.1', port, leaf)).toBeNull();
    expect(verifier.stats.jvmChecks).toBe(2);
    console.log(`trust: ${verifier.stats.jvmChecks} JVM checks, ${verifier.stats.jvmMillis} ms in all; a cached verdict ${cachedMs} ms`);
  }, 60_000);
});
