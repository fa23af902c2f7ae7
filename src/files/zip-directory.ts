import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { inflateRawSync } from 'node:zlib';
import { notAFile, openError } from './bounded-read.js';

/**
 * A zip archive's central directory, read in-process: the end record in the last 64 KiB, then the directory it
 * points at. Only that is read to list a 450 MB distribution; one entry's bytes are read on demand. ZIP64 end
 * records and extra fields are understood (archives over 4 GiB or 65,535 entries).
 */
export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
  /** Unix mode bits when the archive records them (made on Unix), else null. */
  readonly unixMode: number | null;
}

export class ZipFormatError extends Error {}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** The directory of a real distribution is a few MiB; more is not an archive we would unpack. */
const MAX_DIRECTORY = 64 * 1024 * 1024;
const MAX_ENTRY = 256 * 1024 * 1024;

function readAt(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, buf, done, length - done, position + done);
    if (n === 0) throw new ZipFormatError('is truncated (it ends before its zip directory does)');
    done += n;
  }
  return buf;
}

function withFile<T>(path: string, body: (fd: number, size: number) => T): T {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    throw new ZipFormatError(openError(err).message);
  }
  try {
    const st = fstatSync(fd);
    const kind = notAFile(st);
    if (kind) throw new ZipFormatError(`is ${kind}, not a file`);
    return body(fd, st.size);
  } finally {
    closeSync(fd);
  }
}

/** Where the central directory is and how many entries it has. */
function locateDirectory(fd: number, size: number): { offset: number; length: number; count: number } {
  const tailLength = Math.min(size, 22 + 0xffff);
  const tailStart = size - tailLength;
  const tail = readAt(fd, tailStart, tailLength);
  let at = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD && i + 22 + tail.readUInt16LE(i + 20) <= tail.length) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new ZipFormatError('is not a zip archive (no zip directory at its end)');
  let count = tail.readUInt16LE(at + 10);
  let length = tail.readUInt32LE(at + 12);
  let offset = tail.readUInt32LE(at + 16);
  if ((count === 0xffff || length === 0xffffffff || offset === 0xffffffff) && at >= 20 && tail.readUInt32LE(at - 20) === ZIP64_LOCATOR) {
    const z64At = Number(tail.readBigUInt64LE(at - 20 + 8));
    const z64 = readAt(fd, z64At, 56);
    if (z64.readUInt32LE(0) !== ZIP64_EOCD) throw new ZipFormatError('has a broken ZIP64 end record');
    count = Number(z64.readBigUInt64LE(32));
    length = Number(z64.readBigUInt64LE(40));
    offset = Number(z64.readBigUInt64LE(48));
  }
  if (length > MAX_DIRECTORY) throw new ZipFormatError(`has a zip directory of ${length} bytes, more than any distribution has`);
  if (offset + length > size) throw new ZipFormatError('is truncated (its zip directory points past its end)');
  return { offset, length, count };
}

/** ZIP64 extra field: the 64-bit values of the fields written as 0xFFFFFFFF, in order. */
function zip64Values(extra: Buffer, wanted: number): bigint[] {
  for (let i = 0; i + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(i);
    const len = extra.readUInt16LE(i + 2);
    if (id === 0x0001) {
      const out: bigint[] = [];
      for (let j = 0; j < wanted && i + 4 + j * 8 + 8 <= extra.length; j++) out.push(extra.readBigUInt64LE(i + 4 + j * 8));
      return out;
    }
    i += 4 + len;
  }
  return [];
}

function parseDirectory(dir: Buffer, count: number): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let i = 0;
  while (i < dir.length) {
    if (i + 46 > dir.length || dir.readUInt32LE(i) !== CENTRAL) throw new ZipFormatError('has a broken zip directory');
    const madeBy = dir.readUInt16LE(i + 4) >> 8;
    const flags = dir.readUInt16LE(i + 8);
    const method = dir.readUInt16LE(i + 10);
    let compressedSize = dir.readUInt32LE(i + 20);
    let size = dir.readUInt32LE(i + 24);
    const nameLength = dir.readUInt16LE(i + 28);
    const extraLength = dir.readUInt16LE(i + 30);
    const commentLength = dir.readUInt16LE(i + 32);
    const external = dir.readUInt32LE(i + 38);
    let localHeaderOffset = dir.readUInt32LE(i + 42);
    const nameBytes = dir.subarray(i + 46, i + 46 + nameLength);
    const extra = dir.subarray(i + 46 + nameLength, i + 46 + nameLength + extraLength);
    const big = [size, compressedSize, localHeaderOffset].filter((v) => v === 0xffffffff).length;
    if (big > 0) {
      const values = zip64Values(extra, big);
      let k = 0;
      if (size === 0xffffffff) size = Number(values[k++] ?? 0n);
      if (compressedSize === 0xffffffff) compressedSize = Number(values[k++] ?? 0n);
      if (localHeaderOffset === 0xffffffff) localHeaderOffset = Number(values[k++] ?? 0n);
    }
    // Bit 11: UTF-8 names; older tools write CP437, which is ASCII for every name a distribution has.
    const name = nameBytes.toString(flags & 0x0800 ? 'utf8' : 'latin1');
    entries.push({ name, method, compressedSize, size, localHeaderOffset, unixMode: madeBy === 3 ? (external >>> 16) & 0o7777 : null });
    i += 46 + nameLength + extraLength + commentLength;
  }
  if (count !== entries.length && count !== 0xffff) throw new ZipFormatError(`has a zip directory of ${entries.length} entries where its end record says ${count}`);
  return entries;
}

/** Every entry of the zip at `path`; throws ZipFormatError (a sentence to put after the file name) when it is not one. */
export function zipDirectory(path: string): ZipEntry[] {
  return withFile(path, (fd, size) => {
    if (size < 22) throw new ZipFormatError('is not a zip archive (too short)');
    const where = locateDirectory(fd, size);
    return parseDirectory(readAt(fd, where.offset, where.length), where.count);
  });
}

/** The bytes of one entry (stored or deflated). */
export function readZipEntry(path: string, entry: ZipEntry): Buffer {
  if (entry.size > MAX_ENTRY) throw new ZipFormatError(`entry ${entry.name} is ${entry.size} bytes: too large to read`);
  return withFile(path, (fd) => {
    const local = readAt(fd, entry.localHeaderOffset, 30);
    if (local.readUInt32LE(0) !== LOCAL) throw new ZipFormatError(`has a broken local header for ${entry.name}`);
    const start = entry.localHeaderOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
    const body = readAt(fd, start, entry.compressedSize);
    if (entry.method === 0) return body;
    if (entry.method === 8) return inflateRawSync(body, { maxOutputLength: Math.max(entry.size, 1) });
    throw new ZipFormatError(`entry ${entry.name} uses compression method ${entry.method}, which apim-deploy does not read`);
  });
}
