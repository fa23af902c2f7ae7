import { dirname } from 'node:path';
import { RemoteError } from '../errors.js';
import { parseDfPk } from '../model/disk-free.js';
import type { Transport } from '../transport/transport.js';

/** Below this much free space a failed write is put down to a full disk. */
const NEARLY_FULL_BYTES = 1024 * 1024;

const kb = (bytes: number): string => `${Math.floor(bytes / 1024)} KB`;

/**
 * A write to `path` failed (SFTP says only "Failure", unzip "write error"): when the disk under it is (nearly) full,
 * the error that says so, with what is free and what was needed; else null (the original error stands).
 */
export async function noSpaceError(t: Transport, path: string, needBytes: number, err: unknown, signal?: AbortSignal): Promise<RemoteError | null> {
  let free;
  try {
    const r = await t.exec({ argv: ['df', '-Pk', '--', dirname(path)] }, signal);
    free = r.exitCode === 0 ? parseDfPk(r.stdout) : null;
  } catch {
    return null;
  }
  if (!free || free.freeBytes >= Math.max(needBytes, NEARLY_FULL_BYTES)) return null;
  return new RemoteError(t.host, `no space left on the disk of ${free.mountPoint} for ${path}: ${kb(free.freeBytes)} free${needBytes > 0 ? `, ${kb(needBytes)} needed` : ''}`,
    err instanceof Error ? err.message : String(err), `free space under ${free.mountPoint} on ${t.host}, then run the same command again`);
}

/** Runs `write`; a failure on a full disk becomes noSpaceError's clear one. */
export async function onDisk<T>(t: Transport, path: string, needBytes: number, write: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  try {
    return await write();
  } catch (err) {
    throw (await noSpaceError(t, path, needBytes, err, signal)) ?? err;
  }
}
