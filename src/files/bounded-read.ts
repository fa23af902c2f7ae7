import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

/**
 * Files the operator names (inventory, dotenv, saved plan, plan key, ssh key, archives) are checked for what they
 * are before a byte is read: a directory, /dev/zero, a FIFO or a 9 GB file must give one clear sentence, never a
 * hang or an out-of-memory crash. The file is opened non-blocking (a FIFO without a writer would block the open),
 * its type and size come from the open descriptor, and at most `maxBytes` are read even from a file that grows or
 * reports size 0 (/proc).
 */
export type FileRefusal =
  | { readonly ok: false; readonly reason: 'missing' | 'not-a-file' | 'too-large' | 'unreadable'; readonly message: string };
export type BoundedRead = { readonly ok: true; readonly bytes: Buffer } | FileRefusal;

/** "a directory", "a FIFO (named pipe)", "a character device (like /dev/zero)"...; undefined for a regular file. */
export function notAFile(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device (like /dev/zero)';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/** A size for messages: 1.5 MiB, 512 KiB, 300 bytes. */
export function describeSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Number((bytes / 1024 / 1024).toFixed(1))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${bytes} bytes`;
}

function refusal(reason: FileRefusal['reason'], message: string): FileRefusal {
  return { ok: false, reason, message };
}

/** An open/stat error as a refusal sentence (to put after the file name). */
export function openError(err: unknown): FileRefusal {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return refusal('missing', 'does not exist');
  if (code === 'EACCES' || code === 'EPERM') return refusal('unreadable', 'cannot be read (permission denied)');
  if (code === 'ELOOP') return refusal('unreadable', 'cannot be read (too many symbolic links)');
  return refusal('unreadable', `cannot be read (${code ?? (err as Error).message})`);
}

/** What kind of thing is at `path` (following links), as a refusal, or its size when it is a regular file. */
export function checkRegularFile(path: string, maxBytes?: number): { readonly ok: true; readonly size: number } | FileRefusal {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (err) {
    return openError(err);
  }
  const kind = notAFile(st);
  if (kind) return refusal('not-a-file', `is ${kind}, not a file`);
  if (maxBytes !== undefined && st.size > maxBytes) return refusal('too-large', `is ${describeSize(st.size)}, more than the ${describeSize(maxBytes)} allowed`);
  return { ok: true, size: st.size };
}

/** Reads a regular file of at most `maxBytes`; anything else is refused with a sentence (`<path> <message>`). */
export function readBounded(path: string, maxBytes: number): BoundedRead {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    return openError(err);
  }
  try {
    const st = fstatSync(fd);
    const kind = notAFile(st);
    if (kind) return refusal('not-a-file', `is ${kind}, not a file`);
    if (st.size > maxBytes) return refusal('too-large', `is ${describeSize(st.size)}, more than the ${describeSize(maxBytes)} allowed`);
    // Chunks until end of file: a size of 0 (/proc) or a file that grows must not get past the limit either.
    const chunks: Buffer[] = [];
    let length = 0;
    for (;;) {
      const chunk = Buffer.alloc(Math.min(Math.max(st.size + 1, 64 * 1024), maxBytes + 1 - length));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      length += n;
      if (length > maxBytes) return refusal('too-large', `is more than the ${describeSize(maxBytes)} allowed`);
    }
    return { ok: true, bytes: Buffer.concat(chunks, length) };
  } catch (err) {
    return openError(err);
  } finally {
    closeSync(fd);
  }
}

/** The bytes as UTF-8 text (a leading byte-order mark dropped), or undefined when they are not UTF-8: a binary file. */
export function utf8Text(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return undefined;
  }
}
