/** The JDK's version, from `$JAVA_HOME/bin/java -version` (printed on stderr). */
import { posix } from 'node:path';
import { RemoteError } from '../errors.js';
import type { Transport } from '../transport/transport.js';

export interface JavaVersion {
  /** As printed: '21.0.5', '17', '1.8.0_412'. */
  readonly version: string;
  /** 8 for '1.8.0_412', 21 for '21.0.5'. */
  readonly major: number;
  /** The runtime line, e.g. 'OpenJDK Runtime Environment Temurin-21.0.5+11 (build 21.0.5+11-LTS)'. */
  readonly runtime: string;
}

export function javaVersionArgv(javaHome: string): string[] {
  return [posix.join(javaHome, 'bin', 'java'), '-version'];
}

/** Finds the `version "…"` line anywhere (JAVA_TOOL_OPTIONS adds a "Picked up …" line before it). */
export function parseJavaVersion(stderr: string): JavaVersion | null {
  const lines = stderr.split('\n');
  const at = lines.findIndex((l) => /^\S+ version "[^"]+"/.test(l));
  if (at < 0) return null;
  const version = /version "([^"]+)"/.exec(lines[at]!)![1]!;
  const parts = version.split(/[._+-]/);
  const major = Number(parts[0] === '1' ? parts[1] : parts[0]);
  if (!Number.isInteger(major)) return null;
  return { version, major, runtime: (lines[at + 1] ?? '').trim() };
}

/** null when there is no java at javaHome (exit 126/127). */
export async function javaVersion(t: Transport, javaHome: string): Promise<JavaVersion | null> {
  const r = await t.exec({ argv: javaVersionArgv(javaHome), timeoutMs: 30_000 });
  if (r.exitCode === 126 || r.exitCode === 127) return null;
  const parsed = parseJavaVersion(r.stderr);
  if (r.exitCode !== 0 || parsed === null) {
    throw new RemoteError(t.host, `cannot read the JDK version at ${javaHome} (exit ${r.exitCode})`, r.stderr.slice(-2000));
  }
  return parsed;
}
