import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../errors.js';

/** Bumped when the shape of a command's `--json` document changes incompatibly. */
export const JSON_FORMAT = 1;

export function printJson(doc: object): void {
  process.stdout.write(`${JSON.stringify({ format: JSON_FORMAT, ...doc }, null, 2)}\n`);
}

const why = (err: unknown): string => {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EROFS') return 'read-only file system';
  if (code === 'ENOSPC') return 'no space left on the device';
  if (code === 'ENOTDIR') return 'a part of the path is a file, not a directory';
  return (err as Error).message;
};

/** `--out FILE`: refused when it names a directory or its directory does not exist, checked before any work. */
export function checkOutFile(path: string, option = '--out'): string {
  const file = resolve(path);
  if (existsSync(file) && statSync(file).isDirectory()) throw new UsageError(`${option} ${path} is a directory: ${option} names a file`, `for example ${option} ${path.replace(/\/$/, '')}/out.json`);
  const dir = dirname(file);
  if (!existsSync(dir)) throw new UsageError(`${option} ${path}: directory ${dirname(path)} does not exist`, `create it first: mkdir -p ${dirname(path)}`);
  if (!statSync(dir).isDirectory()) throw new UsageError(`${option} ${path}: ${dirname(path)} is not a directory`);
  return file;
}

/** Writes an `--out FILE`; a write the system refuses is the operator's to fix, never an internal error. */
export function writeOutFile(path: string, content: string, option = '--out', mode?: number): void {
  const file = checkOutFile(path, option);
  try {
    writeFileSync(file, content, mode !== undefined ? { mode } : {});
  } catch (err) {
    throw new UsageError(`${option} ${path}: cannot write it: ${why(err)}`);
  }
}

/** `--out-dir DIR`: created when missing; refused when it is a file or cannot be created. */
export function prepareOutDir(path: string, option = '--out-dir'): string {
  const dir = resolve(path);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UsageError(`${option} ${path} is a file: ${option} names a directory`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new UsageError(`${option} ${path}: cannot create it: ${why(err)}`);
  }
  return dir;
}

/** Runs a write to an `--out-dir` (or `--out`), mapping what the system refuses to a usage error naming the option. */
export function writingInto<T>(path: string, write: () => T, option = '--out-dir'): T {
  try {
    return write();
  } catch (err) {
    if (typeof (err as NodeJS.ErrnoException).code !== 'string') throw err;
    throw new UsageError(`${option} ${path}: cannot write: ${why(err)}`);
  }
}
