/**
 * `apim-deploy lab dist`: builds the simulated WSO2 API Manager distributions for one version, the lab JDK (a real
 * OpenJDK 17 runtime, see jdk.ts) and stand-in JDBC driver jars (see java-artifacts.ts).
 * Same inputs give byte-identical archives, and an archive already on disk with the same bytes is left untouched.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { UsageError } from '../../errors.js';
import { bundleEmulator } from './bundle.js';
import { javaArtifacts } from './java-artifacts.js';
import { jdkFileName, labJdkTarball, sourceJdk } from './jdk.js';
import { packEntries } from './pack-entries.js';
import { packsFor, parseVersion } from './packs.js';
import { readSimSources } from './sim-sources.js';
import { writeZip } from './zip-writer.js';
import { padding } from './padding.js';

/** Faults a distribution can carry (read by sim/component/manifest.ts, which keeps the same list). */
export const DIST_FAULTS = ['none', 'unhealthy', 'crash'] as const;
/** A JDK 21 tarball weighs about 195 MB (issue 13's estimate), for `--real-size`: the lab JDK is padded up to it. */
const JDK_REAL_SIZE_MB = 195;

export interface BuildOptions {
  version: string;
  outDir: string;
  fault?: string;
  /** WSO2 Updates level to build the packs at (0 or absent: as released). The version stays; the zip names carry it. */
  updateLevel?: number;
  /** Pad each archive with incompressible bytes to about the real one's size (benchmarks at real sizes). */
  realSize?: boolean;
  /** Pad each pack (not the JDK) with this many MB instead: lab tests that need packs above peer copy's floor. */
  padMb?: number;
}

/**
 * `wso2am-acp-4.6.0.zip` at update level 12 → `wso2am-acp-4.6.0.12.zip`: the four-part version WSO2 gives updated
 * images (docker.wso2.com/wso2am-acp:4.6.0.<level>, docs-apim k8s pattern pages). The top directory inside stays.
 */
export function updatedZipName(zipName: string, updateLevel: number): string {
  return updateLevel === 0 ? zipName : zipName.replace(/\.zip$/, `.${updateLevel}.zip`);
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
  const updateLevel = opts.updateLevel ?? 0;
  if (!Number.isInteger(updateLevel) || updateLevel < 0) {
    throw new UsageError(`--update-level ${String(opts.updateLevel)}: expected a whole number, 0 or more (0: the pack as released)`);
  }
  const outDir = resolve(opts.outDir);
  await mkdir(outDir, { recursive: true });
  const [bundle, sources, jdk] = await Promise.all([bundleEmulator(), readSimSources(), sourceJdk()]);
  const java = await javaArtifacts(jdk, sources.simTlsJava, sources.driverTemplate);
  const files: string[] = [];
  const put = async (name: string, data: Buffer): Promise<void> => {
    const path = join(outDir, name);
    await writeIfChanged(path, data);
    files.push(path);
  };
  for (const spec of packsFor(version)) {
    const entries = packEntries({ spec, version, fault, updateLevel, bundle, sources, simTlsClass: java.simTlsClass });
    const padMb = opts.realSize ? spec.realSizeMb : opts.padMb ?? 0;
    if (padMb > 0) entries.push(padding(`${spec.topDir}/repository/components/plugins/org.wso2.lab.padding_1.0.0.jar`, padMb));
    await put(updatedZipName(spec.zipName, updateLevel), writeZip(entries));
  }
  await put(jdkFileName(jdk), await labJdkTarball(jdk, opts.realSize ? JDK_REAL_SIZE_MB : 0));
  for (const [name, data] of Object.entries(java.driverJars)) await put(name, data);
  return { files };
}
