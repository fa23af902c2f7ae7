import { createCipheriv, createHash } from 'node:crypto';
import type { ArchiveEntry } from './archive-entry.js';

/**
 * Deterministic incompressible bytes (AES-CTR keystream keyed by the name), so a padded build is byte-identical
 * each time. Lives where real packs keep their bulk: plugin jars, the JDK's lib/modules.
 */
export function padding(path: string, mb: number): ArchiveEntry {
  const key = createHash('sha256').update(path).digest().subarray(0, 16);
  const data = createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(mb * 1024 * 1024));
  return { path, mode: 0o644, data, store: true };
}
