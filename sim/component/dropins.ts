/**
 * The bundles a node installs from repository/components/dropins at start-up, as Carbon's launcher does before OSGi
 * starts. Source: wso2/carbon-kernel, core/org.wso2.carbon.server/src/main/java/org/wso2/carbon/server/extensions/
 * DropinsBundleDeployer.java: every `*.jar` there is opened as a jar; without a manifest it logs
 * "Invalid Bundle found in the dropins directory: <name>", without Bundle-SymbolicName or Bundle-Version it logs
 * "Required Bundle manifest headers do not exists: <path>" (both ERROR, and the server still starts); the others are
 * added to bundles.info as `../dropins/<name>` and installed. The product logs that at DEBUG ("Deploying bundle");
 * the simulator logs it at INFO under its own name, so an operator (and a test) can see which bundles a node took.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import type { Logger } from './log.js';
import { zipCentralEntries } from './jar-classes.js';

const DEPLOYER = 'org.wso2.carbon.server.extensions.DropinsBundleDeployer';
const LOCAL = 0x04034b50;
const MANIFEST = 'META-INF/MANIFEST.MF';

export interface DropinBundle {
  readonly file: string;
  readonly symbolicName: string;
  readonly version: string;
}

/** One entry's bytes (stored or deflated), or undefined when the zip is not readable. */
function entryBytes(zip: Buffer, name: string): Buffer | undefined {
  const e = zipCentralEntries(zip).find((x) => x.name === name);
  if (!e || e.localOffset + 30 > zip.length || zip.readUInt32LE(e.localOffset) !== LOCAL) return undefined;
  const start = e.localOffset + 30 + zip.readUInt16LE(e.localOffset + 26) + zip.readUInt16LE(e.localOffset + 28);
  const data = zip.subarray(start, start + e.compressedSize);
  if (e.method === 0) return data;
  return e.method === 8 ? inflateRawSync(data) : undefined;
}

/** Main attributes of a manifest (continuation lines start with one space). */
export function manifestAttributes(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n /g, '').split('\n');
  for (const line of lines) {
    if (line === '') break; // the main section ends at the first blank line
    const at = line.indexOf(': ');
    if (at > 0) out.set(line.slice(0, at), line.slice(at + 2).trim());
  }
  return out;
}

/** Reads the dropins directory and logs as the launcher does; returns the bundles it would install. */
export function deployDropins(carbonHome: string, log: Logger): DropinBundle[] {
  const dir = join(carbonHome, 'repository', 'components', 'dropins');
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.jar')).sort();
  } catch {
    return [];
  }
  const out: DropinBundle[] = [];
  for (const file of files) {
    let manifest: Buffer | undefined;
    try {
      manifest = entryBytes(readFileSync(join(dir, file)), MANIFEST);
    } catch {
      manifest = undefined;
    }
    if (!manifest) {
      log.error(DEPLOYER, `Invalid Bundle found in the dropins directory: ${file}`);
      continue;
    }
    const attrs = manifestAttributes(manifest.toString('utf8'));
    const symbolicName = attrs.get('Bundle-SymbolicName')?.split(';')[0];
    const version = attrs.get('Bundle-Version');
    if (!symbolicName || !version) {
      log.error(DEPLOYER, `Required Bundle manifest headers do not exists: ${join(dir, file)}`);
      continue;
    }
    log.info('wso2-sim', `Deploying bundle: ../dropins/${file} (${symbolicName} ${version})`);
    out.push({ file, symbolicName, version });
  }
  return out;
}
