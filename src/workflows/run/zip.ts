import { statSync } from 'node:fs';
import { readZipEntry, zipDirectory, ZipFormatError, type ZipEntry } from '../../files/zip-directory.js';
import { ConfigError } from '../../errors.js';

/**
 * A local distribution's entries and the bytes of one of them, read in-process (src/files/zip-directory.ts): the
 * zip directory is read once per archive, an entry's bytes on demand; no unzip process on the controller.
 */
const directories = new Map<string, ZipEntry[]>();

function directory(zip: string): ZipEntry[] {
  const st = statSync(zip, { throwIfNoEntry: false });
  const key = `${zip}\0${st?.ino}:${st?.size}:${st?.mtimeMs}`;
  let entries = directories.get(key);
  if (!entries) {
    try {
      entries = zipDirectory(zip);
    } catch (err) {
      if (err instanceof ZipFormatError) throw new ConfigError(`${zip} ${err.message}`, [], 'is it a WSO2 API Manager distribution?');
      throw err;
    }
    directories.set(key, entries);
  }
  return entries;
}

/** Entry names of a zip. */
export async function zipEntries(zip: string): Promise<string[]> {
  return directory(zip).map((e) => e.name);
}

/** A distribution's entry for `path` below its one top directory (`wso2am-4.6.0/<path>`), if it ships one. */
export const entryFor = (entries: readonly string[], path: string): string | undefined =>
  entries.find((e) => e.split('/').slice(1).join('/') === path);

/** The bytes of one zip entry. */
export async function readEntry(zip: string, entry: string): Promise<Buffer> {
  const found = directory(zip).find((e) => e.name === entry);
  if (!found) throw new ConfigError(`${zip} has no ${entry}`);
  try {
    return readZipEntry(zip, found);
  } catch (err) {
    if (err instanceof ZipFormatError) throw new ConfigError(`${zip} ${err.message}`);
    throw err;
  }
}
