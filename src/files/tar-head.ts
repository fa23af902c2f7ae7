import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { checkRegularFile } from './bounded-read.js';

/**
 * The start of a .tar.gz archive, streamed: tar headers are parsed as the data decompresses and file contents are
 * skipped. Reading stops as soon as `stopAt` finds what it looks for, so recognising a JDK tarball usually reads a
 * small part of it. ustar prefixes, GNU long names and pax `path` records are understood.
 */
export interface TarHead {
  /** Entry names seen, in archive order (directories with their trailing slash). */
  readonly names: readonly string[];
  /** True when reading stopped because `stopAt` said so, false when the archive ended first. */
  readonly stopped: boolean;
}

export class TarFormatError extends Error {}

const BLOCK = 512;

function field(h: Buffer, start: number, length: number): string {
  const raw = h.subarray(start, start + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? raw.length : end).toString('utf8');
}

function octal(h: Buffer, start: number, length: number): number {
  if (h[start]! & 0x80) {
    // base-256 (GNU) for sizes over 8 GiB
    let v = 0;
    for (let i = start + 1; i < start + length; i++) v = v * 256 + h[i]!;
    return v;
  }
  const text = field(h, start, length).trim();
  return text === '' ? 0 : Number.parseInt(text, 8);
}

function checksumOk(h: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i]!;
  return octal(h, 148, 8) === sum;
}

function paxPath(body: Buffer): string | undefined {
  for (const line of body.toString('utf8').split('\n')) {
    const m = /^\d+ path=(.*)$/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

/** Streams `path` until `stopAt(names)` is true or the archive ends; at most `maxEntries` entries. */
export async function tarGzHead(path: string, stopAt: (names: readonly string[]) => boolean, maxEntries = 1_000_000): Promise<TarHead> {
  const file = checkRegularFile(path);
  if (!file.ok) throw new TarFormatError(file.message);
  const names: string[] = [];
  let pending: Buffer = Buffer.alloc(0);
  let skip = 0;
  let longName: string | undefined;
  let want: { kind: 'L' | 'x'; size: number } | undefined;
  let ended = false;
  const source = createReadStream(path, { start: 0 });
  const gunzip = createGunzip();
  source.pipe(gunzip);
  let first = true;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      for (;;) {
        if (skip > 0) {
          const n = Math.min(skip, pending.length);
          pending = pending.subarray(n);
          skip -= n;
          if (skip > 0) break;
        }
        if (want) {
          const padded = Math.ceil(want.size / BLOCK) * BLOCK;
          if (pending.length < padded) break;
          const body = pending.subarray(0, want.size);
          longName = want.kind === 'L' ? field(body, 0, body.length) : (paxPath(body) ?? longName);
          pending = pending.subarray(padded);
          want = undefined;
          continue;
        }
        if (pending.length < BLOCK) break;
        const h = pending.subarray(0, BLOCK);
        pending = pending.subarray(BLOCK);
        if (h.every((b) => b === 0)) {
          ended = true;
          break;
        }
        if (!checksumOk(h)) throw new TarFormatError(first ? 'is a gzip file but not a tar archive' : 'has a broken tar header');
        first = false;
        const type = String.fromCharCode(h[156]!);
        const size = octal(h, 124, 12);
        if (type === 'L' || type === 'x') {
          want = { kind: type, size };
          continue;
        }
        const prefix = field(h, 345, 155);
        const name = longName ?? (prefix ? `${prefix}/${field(h, 0, 100)}` : field(h, 0, 100));
        longName = undefined;
        if (type !== 'g') names.push(name);
        if (names.length > maxEntries) throw new TarFormatError(`has more than ${maxEntries} entries`);
        skip = Math.ceil(size / BLOCK) * BLOCK;
        if (stopAt(names)) return { names, stopped: true };
      }
      if (ended) break;
    }
  } catch (err) {
    if (err instanceof TarFormatError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') throw new TarFormatError(first ? 'is not a gzip-compressed tar archive' : 'is corrupt (its gzip data breaks off)');
    throw new TarFormatError(`cannot be read (${code ?? (err as Error).message})`);
  } finally {
    source.destroy();
    gunzip.destroy();
  }
  if (first) throw new TarFormatError('is not a gzip-compressed tar archive (no tar entries)');
  return { names, stopped: false };
}
