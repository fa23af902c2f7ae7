import type { RoleCatalog } from '../catalog/roles.js';
import { databasesAt, findWso2Variant, wso2Server } from '../catalog/variants.js';
import { archiveSummary, ArchiveError, sniffArchive, type ArchiveSummary } from '../files/archive-index.js';
import { checkRegularFile } from '../files/bounded-read.js';
import type { ArtifactRef, DistributionKind, Inventory, RoleName } from '../model/inventory.js';
import { quoted } from '../yaml/shown.js';
import { dottedPath, type DocPath, type YamlSource } from '../yaml/source.js';
import { ConfigError, type ConfigIssue } from '../errors.js';

/** A version as the packs name it. */
const VERSION = /^\d+\.\d+\.\d+$/;

/** The one top directory every entry sits under, or a sentence saying why there is none. */
function topDirectory(s: ArchiveSummary): string | { problem: string } {
  const tops = [...new Set(s.names.map((n) => n.split('/')[0]!))];
  if (tops.length === 1 && s.names.some((n) => n.includes('/'))) return tops[0]!;
  if (tops.length === 0) return { problem: 'is an empty archive' };
  return { problem: `has ${tops.length} top-level entries (${tops.slice(0, 3).map(quoted).join(', ')}${tops.length > 3 ? ', ...' : ''}); a distribution unpacks into one directory` };
}

/** Which pack a top directory names, by the prefixes of roles/wso2-server.yaml: "the tm pack of APIM 4.5.0". */
function whichPack(top: string, prefixes: Readonly<Record<string, { topDirPrefix: string }>>): { kind: string; version: string } | undefined {
  for (const [kind, { topDirPrefix }] of Object.entries(prefixes)) {
    const rest = top.startsWith(topDirPrefix) ? top.slice(topDirPrefix.length) : '';
    if (VERSION.test(rest)) return { kind, version: rest };
  }
  return undefined;
}

/** Where an archive problem is reported: the inventory being loaded (its YamlSource), or the issues of a re-check. */
type Report = (at: DocPath, message: string) => void;

async function summary(ref: ArtifactRef, at: DocPath, src: Report): Promise<ArchiveSummary | undefined> {
  if (!checkRegularFile(ref.path).ok) return undefined; // reported by checkArtifacts already
  const format = sniffArchive(ref.path);
  if (!format) return void src(at, `${ref.path} is not an archive (neither a zip nor a gzip-compressed tar): is it the file you meant?`);
  try {
    return await archiveSummary(ref.path, format);
  } catch (err) {
    if (err instanceof ArchiveError) return void src(at, `${ref.path} ${err.message}`);
    throw err;
  }
}

export interface ArchiveCheck {
  readonly catalog: RoleCatalog;
  readonly version: string;
  /** Distribution kind → the roles in use that run it. */
  readonly needed: ReadonlyMap<DistributionKind, readonly RoleName[]>;
  /** Whether a node that opens the databases runs (the driver is pushed only then). */
  readonly driverUsed: boolean;
}

/**
 * What each archive the inventory names is, read from the archive itself: a WSO2 pack of the kind and version the
 * inventory says (its one top directory) with the start script of every role that runs it, a JDK (bin/java under
 * one top directory) and a JDBC driver (a jar that registers a java.sql.Driver). Only the zip directory, or a
 * tarball's first entries, are read (src/files/archive-index.ts).
 */
export async function checkArchives(apim: Inventory['apim'], check: ArchiveCheck, yaml: YamlSource | Report): Promise<void> {
  const src: Report = typeof yaml === 'function' ? yaml : (at, message) => yaml.add(at, message);
  const prefixes = wso2Server(check.catalog).distributions;
  const jobs: Promise<void>[] = [];
  for (const [kind, roles] of check.needed) {
    const ref = apim.distributions[kind];
    if (!ref) continue;
    const at = ['apim', 'distributions', kind, 'path'];
    jobs.push(summary(ref, at, src).then((s) => {
      if (!s) return;
      const top = topDirectory(s);
      if (typeof top !== 'string') return void src(at, `${ref.path} ${top.problem}`);
      const pack = whichPack(top, prefixes);
      const expected = `${prefixes[kind]!.topDirPrefix}${check.version}`;
      if (!pack) return void src(at, `${ref.path} unpacks into ${quoted(`${top}/`)}, not ${expected}/: it is not the ${kind} distribution of APIM ${check.version}`);
      if (pack.kind !== kind) return void src(at, `${ref.path} is the ${pack.kind} distribution (${top}/), not ${kind}: point ${kind} at ${expected}.zip`);
      if (pack.version !== check.version) return void src(at, `${ref.path} is APIM ${pack.version}'s ${kind} distribution, but apim.version is ${check.version}`);
      for (const role of roles) {
        const script = findWso2Variant(check.catalog[role], check.version)?.script;
        if (script && !s.names.includes(`${top}/${script}`)) src(at, `${ref.path} has no ${top}/${script}, the start script of ${role} (roles/${role}/role.yaml)`);
      }
    }));
  }
  if (check.needed.size > 0) {
    const at = ['apim', 'jdk', 'path'];
    jobs.push(summary(apim.jdk, at, src).then((s) => {
      if (!s) return;
      const top = topDirectory(s);
      if (typeof top !== 'string') return void src(at, `${apim.jdk.path} ${top.problem.replace('a distribution', 'a JDK')}`);
      if (!s.names.includes(`${top}/bin/java`)) src(at, `${apim.jdk.path} has no ${top}/bin/java: it is not a JDK`);
    }));
  }
  if (apim.jdbcDriver && check.driverUsed) {
    const ref = apim.jdbcDriver;
    const at = ['apim', 'jdbc_driver', 'path'];
    jobs.push(summary(ref, at, src).then((s) => {
      if (!s) return;
      if (s.format !== 'zip' || !s.names.includes('META-INF/services/java.sql.Driver')) {
        src(at, `${ref.path} is not a JDBC driver jar (it registers no META-INF/services/java.sql.Driver)`);
      }
    }));
  }
  await Promise.all(jobs);
}

/**
 * The archives of an inventory taken to another version (`upgrade --to`): the same recognition, reported at the
 * lines that name each archive.
 */
export async function checkArchivesAt(inv: Inventory, catalog: RoleCatalog): Promise<void> {
  const needed = new Map<DistributionKind, RoleName[]>();
  for (const role of new Set(inv.nodes.map((n) => n.role))) {
    const kind = findWso2Variant(catalog[role], inv.apim.version)?.distribution;
    if (kind) needed.set(kind, [...(needed.get(kind) ?? []), role]);
  }
  const issues: ConfigIssue[] = [];
  const refAt = (at: DocPath): ArtifactRef | undefined =>
    at[1] === 'jdk' ? inv.apim.jdk : at[1] === 'jdbc_driver' ? inv.apim.jdbcDriver : inv.apim.distributions[String(at[2])];
  const report: Report = (at, message) => {
    const pos = refAt(at)?.pos ?? { file: inv.file, line: 1, col: 1 };
    issues.push({ ...pos, path: dottedPath(at), message });
  };
  const driverUsed = inv.nodes.some((n) => databasesAt(catalog[n.role], inv.apim.version).length > 0);
  await checkArchives(inv.apim, { catalog, version: inv.apim.version, needed, driverUsed }, report);
  if (issues.length > 0) {
    throw new ConfigError(`the archives for APIM ${inv.apim.version} are not what the inventory says (${issues.length} problem(s))`, issues, 'fetch the distributions of that version, or fix the paths');
  }
}
