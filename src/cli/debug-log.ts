import { closeSync, constants, fchmodSync, fstatSync, lstatSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where an internal error's stack trace goes: the user's own state directory ($XDG_STATE_HOME/apim-deploy, else
 * ~/.local/state/apim-deploy), or a per-user directory in the temp dir when home cannot be written. The directory
 * must be ours and private; the file is opened without following a symbolic link, created 0600 and must be a
 * regular file of ours (a fixed name in a shared /tmp could be planted by another user to receive our stacks).
 */
function candidates(): string[] {
  const uid = process.getuid?.() ?? 0;
  const state = process.env['XDG_STATE_HOME'] || join(homedir(), '.local', 'state');
  return [join(state, 'apim-deploy'), join(tmpdir(), `apim-deploy-${uid}`)];
}

function privateDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = lstatSync(dir);
    const uid = process.getuid?.();
    return st.isDirectory() && (uid === undefined || st.uid === uid) && (st.mode & 0o022) === 0;
  } catch {
    return false;
  }
}

/** Appends `text` to the debug log; returns its path, or undefined when no private place could be found. */
export function appendDebugLog(text: string): string | undefined {
  for (const dir of candidates()) {
    if (!privateDir(dir)) continue;
    const file = join(dir, 'debug.log');
    let fd: number | undefined;
    try {
      fd = openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
      const st = fstatSync(fd);
      const uid = process.getuid?.();
      if (!st.isFile() || (uid !== undefined && st.uid !== uid)) continue;
      if ((st.mode & 0o077) !== 0) fchmodSync(fd, 0o600);
      writeSync(fd, text);
      return file;
    } catch {
      // try the next place
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  return undefined;
}
