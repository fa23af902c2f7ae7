/**
 * Which classes the driver jars in repository/components/lib (and dropins) carry: the names in each zip's central
 * directory, read with node built-ins only. A jar that is not a readable zip carries nothing, as it would give the
 * JVM nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;

export interface ZipCentralEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly localOffset: number;
}

export function zipEntryNames(zip: Buffer): string[] {
  return zipCentralEntries(zip).map((e) => e.name);
}

/** The central directory's entries (no ZIP64: jars dropped into a node are small). */
export function zipCentralEntries(zip: Buffer): ZipCentralEntry[] {
  const floor = Math.max(0, zip.length - 22 - 0xffff);
  let end = -1;
  for (let i = zip.length - 22; i >= floor; i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      end = i;
      break;
    }
  }
  if (end < 0) return [];
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const names: ZipCentralEntry[] = [];
  for (let n = 0; n < count && at + 46 <= zip.length && zip.readUInt32LE(at) === CENTRAL; n++) {
    const nameLength = zip.readUInt16LE(at + 28);
    const extra = zip.readUInt16LE(at + 30);
    const comment = zip.readUInt16LE(at + 32);
    names.push({
      name: zip.toString('utf8', at + 46, at + 46 + nameLength), method: zip.readUInt16LE(at + 10),
      compressedSize: zip.readUInt32LE(at + 20), localOffset: zip.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + extra + comment;
  }
  return names;
}

/** The jar (file name) under `dirs` that holds `className`, or undefined. */
export function findClass(carbonHome: string, dirs: readonly string[], className: string): string | undefined {
  const entry = `${className.replace(/\./g, '/')}.class`;
  for (const dir of dirs) {
    let files: string[];
    try {
      files = readdirSync(join(carbonHome, dir)).filter((f) => f.endsWith('.jar')).sort();
    } catch {
      continue;
    }
    for (const file of files) {
      try {
        if (zipEntryNames(readFileSync(join(carbonHome, dir, file))).includes(entry)) return `${dir}/${file}`;
      } catch {
        // unreadable: carries nothing
      }
    }
  }
  return undefined;
}
