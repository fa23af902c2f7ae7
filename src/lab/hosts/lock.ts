import { closeSync, mkdirSync, openSync, readFileSync, rmdirSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from '../../errors.js';

function holderAlive(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** Runs `fn` holding the lab's lock file (inside the state directory), so two `lab up`/`lab down` never race on one lab. */
export async function withLabLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  mkdirSync(dirname(file), { recursive: true });
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const holder = holderAlive(file);
    if (holder !== undefined && holder !== process.pid) {
      throw new UsageError(`another lab command (PID ${holder}) is working on this lab`, `wait for it, or check ${file}`);
    }
    // The previous holder died: its lock is stale.
    rmSync(file, { force: true });
    fd = openSync(file, 'wx', 0o644);
  }
  writeSync(fd, `${process.pid}\n`);
  closeSync(fd);
  try {
    return await fn();
  } finally {
    rmSync(file, { force: true });
    try {
      rmdirSync(dirname(file)); // only when empty: a failed first `lab up` leaves no empty state directory
    } catch {
      // not empty, or a --state-dir holding other files
    }
  }
}
