/** A minimal deterministic ustar + gzip writer (root-owned entries, fixed mtime), for the simulated JDK. */
import { gzipSync } from 'node:zlib';
import { withParentDirs, type ArchiveEntry } from './archive-entry.js';

const MTIME = Date.UTC(2024, 0, 1) / 1000;

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** One ustar header block (root-owned, fixed mtime). */
export function header(path: string, mode: number, size: number, isDir: boolean): Buffer {
  const h = Buffer.alloc(512);
  if (Buffer.byteLength(path) > 100) throw new Error(`tar path longer than 100 bytes: ${path}`);
  h.write(path, 0, 'utf8');
  h.write(octal(mode, 8), 100);
  h.write(octal(0, 8), 108);
  h.write(octal(0, 8), 116);
  h.write(octal(size, 12), 124);
  h.write(octal(MTIME, 12), 136);
  h.write('        ', 148); // checksum counts as spaces while it is computed
  h.write(isDir ? '5' : '0', 156);
  h.write('ustar\0', 257);
  h.write('00', 263);
  h.write('root', 265);
  h.write('root', 297);
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return h;
}

/** gzip level 9, or 1 when an entry is incompressible padding (level 9 would spend seconds per 100 MB on it). */
export function writeTarGz(entries: readonly ArchiveEntry[]): Buffer {
  const blocks: Buffer[] = [];
  for (const e of withParentDirs(entries)) {
    const isDir = e.data === undefined;
    const data = e.data ?? Buffer.alloc(0);
    blocks.push(header(isDir ? `${e.path}/` : e.path, e.mode, data.length, isDir));
    if (!isDir) {
      blocks.push(data);
      const pad = (512 - (data.length % 512)) % 512;
      if (pad > 0) blocks.push(Buffer.alloc(pad));
    }
  }
  blocks.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(blocks), { level: entries.some((e) => e.store) ? 1 : 9 });
}
