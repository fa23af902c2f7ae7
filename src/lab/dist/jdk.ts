/**
 * The lab JDK: a real Java runtime linked (jlink) from Debian's OpenJDK 17 (`openjdk-17-jdk-headless`, a JDK WSO2
 * 4.5/4.6 support, scripts/install-deps.sh installs it). It answers `java -version` for real, ships `keytool`, reads
 * JKS/PKCS12 stores, and runs the simulated node's TLS helper (sim/java/SimTls.java), so trust decisions are JSSE's.
 * Only java.base and jdk.crypto.ec (TLS with EC key exchange), with their CDS archives: 55 MB unpacked, 24 MB packed,
 * instead of 260 MB.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { lstat, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { UsageError } from '../../errors.js';
import type { ArchiveEntry } from './archive-entry.js';
import { cached, cacheKey } from './build-cache.js';
import { padding } from './padding.js';
import { writeTarGz } from './tar-writer.js';

const run = promisify(execFile);

/** Debian's OpenJDK 17; APIM_LAB_JDK_HOME picks another JDK 17 with jmods (e.g. a Temurin build). */
export const SOURCE_JDK = process.env['APIM_LAB_JDK_HOME'] || '/usr/lib/jvm/java-17-openjdk-amd64';
const MODULES = ['java.base', 'jdk.crypto.ec'];
const FORMAT = 'lab-jdk 2';
const MIB = 1024 * 1024; // padding()'s unit

export interface SourceJdk {
  readonly home: string;
  readonly version: string; // 17.0.15
  readonly full: string; // 17.0.15+6
  readonly release: string;
}

const known = new Map<string, Promise<SourceJdk>>();

/** The JDK to link from, read once per process (its `java -version` takes a JVM start). */
export function sourceJdk(home = SOURCE_JDK): Promise<SourceJdk> {
  let found = known.get(home);
  if (!found) {
    found = readSourceJdk(home);
    known.set(home, found);
    found.catch(() => known.delete(home));
  }
  return found;
}

async function readSourceJdk(home: string): Promise<SourceJdk> {
  if (!existsSync(join(home, 'bin', 'jlink')) || !existsSync(join(home, 'jmods', 'java.base.jmod'))) {
    throw new UsageError(
      `no JDK with jlink and jmods at ${home}: install openjdk-17-jdk-headless (scripts/install-deps.sh) or set APIM_LAB_JDK_HOME`,
    );
  }
  const release = await readFile(join(home, 'release'), 'utf8');
  const { stderr } = await run(join(home, 'bin', 'java'), ['-version']);
  const version = /version "([^"]+)"/.exec(stderr)?.[1];
  const build = /\(build ([^)\s-]+)/.exec(stderr)?.[1];
  if (!version || !build) throw new UsageError(`cannot read the version of the JDK at ${home}: ${stderr.trim()}`);
  return { home, version, full: build, release };
}

export const jdkFileName = (jdk: SourceJdk): string => `jdk-${jdk.version.split('.')[0]}.tar.gz`;

/** Regular files and directories; the few symlinks jlink writes (legal notices) become copies of their targets. */
async function entriesOf(root: string, top: string): Promise<ArchiveEntry[]> {
  const out: ArchiveEntry[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      const path = join(dir, name);
      const rel = `${top}/${relative(root, path)}`;
      const info = await lstat(path);
      if (info.isDirectory()) {
        out.push({ path: rel, mode: 0o755 });
        await walk(path);
      } else {
        const data = await readFile(path); // follows a symlink to its target
        out.push({ path: rel, mode: (await lstat(path)).mode & 0o111 ? 0o755 : 0o644, data });
      }
    }
  };
  await walk(root);
  return out;
}

/**
 * The JDK tarball (top directory `jdk-<version>+<build>`), built once per source JDK and cached. `sizeMb` > 0 pads it
 * with incompressible bytes (lib/modules.padding) to about that size in all (`lab dist --real-size`): the padding
 * makes up what the linked JDK lacks, so the tarball weighs what a vendor's does, not that plus ours.
 */
export async function labJdkTarball(jdk: SourceJdk, sizeMb = 0): Promise<Buffer> {
  const key = cacheKey([FORMAT, jdk.release, jdk.full, MODULES.join(','), ...(sizeMb > 0 ? [`size ${sizeMb}`] : [])]);
  return cached(`jdk-${jdk.full}-${key}.tar.gz`, async () => {
    const work = await mkdtemp(join(tmpdir(), 'lab-jdk-'));
    try {
      const image = join(work, 'image');
      await run(join(jdk.home, 'bin', 'jlink'), [
        '--add-modules', MODULES.join(','), '--strip-debug', '--no-man-pages', '--no-header-files',
        // A JDK as vendors ship it maps its classes from a CDS archive (lib/server/classes.jsa) at every start; without
        // one, each keytool or java run on a lab host would parse java.base's classes anew.
        '--compress=2', '--generate-cds-archive', '--output', image,
      ]);
      const entries = await entriesOf(image, `jdk-${jdk.full}`);
      const unpadded = writeTarGz(entries);
      const padMb = sizeMb - Math.ceil(unpadded.length / MIB);
      return padMb > 0 ? writeTarGz([...entries, padding(`jdk-${jdk.full}/lib/modules.padding`, padMb)]) : unpadded;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });
}
