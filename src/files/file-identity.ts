import { statSync } from 'node:fs';

/**
 * What must be unchanged for anything learnt from a local file's bytes to still hold: device, inode, size, mtime and
 * ctime in nanoseconds (ctime moves on any change and no tool can set it back). Throws when the file cannot be stat'ed.
 */
export function fileIdentity(path: string): string {
  const st = statSync(path, { bigint: true });
  return [st.dev, st.ino, st.size, st.mtimeNs, st.ctimeNs].join(':');
}
