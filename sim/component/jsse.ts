/**
 * Runs the JSSE helper the packs ship (lib/wso2-sim-tls/SimTls.class, source sim/java/SimTls.java) with the JDK
 * the node was started with ($JAVA_HOME): keystores are read and TLS peers judged by Java itself (source `jsse` in
 * sim/rules/sources.ts). A JVM start costs ~0.5-1 s here, so callers do it once per boot (keystore) or once per
 * peer certificate and truststore content (trust.ts caches).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface JavaRuntime {
  readonly javaHome: string;
  readonly classDir: string; // <pack>/lib/wso2-sim-tls
}

export interface StoreSpec {
  readonly path: string;
  readonly type: string;
  readonly password: string;
}

export interface KeySpec extends StoreSpec {
  readonly alias: string;
  readonly keyPassword: string;
}

const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xmx64m'];
const TIMEOUT_MS = 60_000;

export function runSimTls(java: JavaRuntime, args: readonly string[], stdinLines: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(java.javaHome, 'bin', 'java'), [...JVM_FLAGS, '-cp', java.classDir, 'SimTls', ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${join(java.javaHome, 'bin', 'java')}: ${err.message}`));
    });
    child.on('close', () => {
      clearTimeout(timer);
      if (stdout.trim() === '' && stderr.trim() !== '') reject(new Error(stderr.trim().split('\n')[0]));
      else resolve(stdout);
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(stdinLines.map((l) => `${l}\n`).join(''));
  });
}

export interface KeyMaterial {
  readonly key: Buffer;
  readonly cert: Buffer;
}

/** The key and certificate chain of `spec.alias`, or an Error carrying Java's message (class name dropped). */
export async function loadKeyMaterial(java: JavaRuntime, spec: KeySpec): Promise<KeyMaterial> {
  const out = await runSimTls(java, ['keystore'], [spec.path, spec.type, spec.password, spec.alias, spec.keyPassword]);
  if (out.startsWith('ERROR ')) {
    const message = out.slice('ERROR '.length).trim().replace(/^[\w.$]+(Exception|Error): /, '');
    throw new Error(`${message}: ${spec.path}`);
  }
  const key = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----\n/.exec(out)?.[0];
  const certs = out.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n/g) ?? [];
  if (!key || certs.length === 0) throw new Error(`no key material for alias ${spec.alias} in ${spec.path}`);
  return { key: Buffer.from(key), cert: Buffer.from(certs.join('')) };
}

export type TrustVerdict =
  | { readonly kind: 'trusted'; readonly leaf: string }
  | { readonly kind: 'untrusted'; readonly leaf: string; readonly error: string }
  | { readonly kind: 'error'; readonly error: string };

export async function checkPeerTrust(java: JavaRuntime, store: StoreSpec, host: string, port: number): Promise<TrustVerdict> {
  const out = (await runSimTls(java, ['trust', host, String(port)], [store.path, store.type, store.password])).trim();
  const m = /^(TRUSTED|UNTRUSTED) (\S+)(?: (.*))?$/.exec(out);
  if (m?.[1] === 'TRUSTED') return { kind: 'trusted', leaf: m[2]! };
  if (m?.[1] === 'UNTRUSTED') return { kind: 'untrusted', leaf: m[2]!, error: m[3] ?? '' };
  return { kind: 'error', error: out.replace(/^ERROR /, '') };
}
