/**
 * `apim-deploy lab dist`: builds the simulated JDK and simulated WSO2 API Manager distributions for one version.
 * Same inputs give byte-identical archives, and an archive already on disk with the same bytes is left untouched.
 */
import { createCipheriv, createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { bundleEmulator } from './bundle.js';
import { jdkEntries, jdkIdentity } from './jdk.js';
import { packEntries } from './pack-entries.js';
import { packsFor, parseVersion } from './packs.js';
import { readSimSources } from './sim-sources.js';
import { writeTarGz } from './tar-writer.js';
import { writeZip } from './zip-writer.js';
import type { ArchiveEntry } from './archive-entry.js';

/** Faults a distribution can carry (read by sim/component/manifest.ts, which keeps the same list). */
export const DIST_FAULTS = ['none', 'unhealthy', 'crash'] as const;
export const DEFAULT_JDK_VERSION = '21.0.5';
/** A JDK 21 tarball weighs about 195 MB (issue 13's estimate), for `--real-size`. */
const JDK_REAL_SIZE_MB = 195;

export interface BuildOptions {
  version: string;
  outDir: string;
  fault?: string;
  jdkVersion?: string;
  /** Pad each archive with incompressible bytes to about the real pack's size (benchmarks at real sizes). */
  realSize?: boolean;
}

/**
 * Deterministic incompressible bytes (AES-CTR keystream keyed by the name), so a padded build is byte-identical
 * each time. Lives where real packs keep their bulk: plugin jars, the JDK's lib/modules.
 */
function padding(path: string, mb: number): ArchiveEntry {
  const key = createHash('sha256').update(path).digest().subarray(0, 16);
  const data = createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(mb * 1024 * 1024));
  return { path, mode: 0o644, data, store: true };
}

async function writeIfChanged(path: string, data: Buffer): Promise<void> {
  const existing = await readFile(path).catch(() => undefined);
  if (existing?.equals(data)) return;
  const temp = `${path}.tmp-${process.pid}`;
  await writeFile(temp, data);
  await rename(temp, path);
}

export async function buildDistributions(opts: BuildOptions): Promise<{ files: string[] }> {
  const version = parseVersion(opts.version);
  if (!version) throw new UsageError(`--version ${opts.version}: expected a 4.x.y API Manager version, e.g. 4.6.0`);
  const fault = opts.fault ?? 'none';
  if (!(DIST_FAULTS as readonly string[]).includes(fault)) {
    throw new UsageError(`--fault ${fault}: expected one of ${DIST_FAULTS.join(', ')}`);
  }
  const jdkSpec = opts.jdkVersion ?? DEFAULT_JDK_VERSION;
  const jdk = jdkIdentity(jdkSpec);
  if (!jdk) throw new UsageError(`--jdk-version ${jdkSpec}: expected a version such as 21.0.5 or 21.0.5+11`);

  const outDir = resolve(opts.outDir);
  await mkdir(outDir, { recursive: true });
  const [bundle, sources] = await Promise.all([bundleEmulator(), readSimSources()]);
  const files: string[] = [];
  for (const spec of packsFor(version)) {
    const path = join(outDir, spec.zipName);
    const entries = packEntries({ spec, version, fault, bundle, sources });
    if (opts.realSize) entries.push(padding(`${spec.topDir}/repository/components/plugins/org.wso2.lab.padding_1.0.0.jar`, spec.realSizeMb));
    await writeIfChanged(path, writeZip(entries));
    files.push(path);
  }
  const jdkPath = join(outDir, `jdk-${jdkSpec}.tar.gz`);
  const jdkFiles = jdkEntries(jdk, sources.java);
  if (opts.realSize) jdkFiles.push(padding(`jdk-${jdk.full}/lib/modules`, JDK_REAL_SIZE_MB));
  await writeIfChanged(jdkPath, writeTarGz(jdkFiles));
  files.push(jdkPath);
  return { files };
}
