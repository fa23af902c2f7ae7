import { closeSync, constants, fchmodSync, lstatSync, openSync, writeFileSync } from 'node:fs';

/**
 * Creates or replaces a file with exactly `mode`, never through a symbolic link at its name (O_NOFOLLOW) and
 * never onto anything but a regular file. Throws an Error whose message follows the path ("exists and is not a
 * regular file").
 */
export function writeFileNoFollow(path: string, content: string | Uint8Array, mode: number): void {
  const existing = lstatSync(path, { throwIfNoEntry: false });
  if (existing && !existing.isFile()) throw new Error(`${path} exists and is not a regular file`);
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW, mode);
  try {
    fchmodSync(fd, mode); // an existing file keeps its old mode through open
    writeFileSync(fd, content); // all of it (a bare write may be partial)
  } finally {
    closeSync(fd);
  }
}
