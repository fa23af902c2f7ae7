/**
 * `stat` as one read-only command shared by the SSH and local transports: lstat semantics (a final symlink is
 * reported, not followed), owner by name, mode as 4 octal digits. GNU and busybox stat both know `-c '%f %U %s'`.
 */
import { TransportError } from '../errors.js';
import type { ExecResult, RemoteCommand, RemoteStat } from './transport.js';

export const STAT_SCRIPT =
  'if [ -e "$1" ] || [ -L "$1" ]; then LC_ALL=C exec stat -c "%f %U %s" -- "$1"; else echo absent; fi';

export function statArgv(path: string): string[] {
  return ['sh', '-c', STAT_SCRIPT, 'sh', path];
}

const S_IFMT = 0o170000;
const KINDS: Readonly<Record<number, RemoteStat['kind']>> = { 0o100000: 'file', 0o040000: 'dir', 0o120000: 'symlink' };

/** Parses the script's stdout; throws on anything it does not recognise (the caller maps it to a protocol error). */
export function parseStat(stdout: string): RemoteStat | undefined {
  const line = stdout.trim();
  if (line === 'absent') return undefined;
  const m = /^([0-9a-f]+) (\S+) (\d+)$/i.exec(line);
  if (!m) throw new Error(`unexpected stat output: ${JSON.stringify(stdout.slice(0, 200))}`);
  const raw = parseInt(m[1]!, 16);
  return {
    kind: KINDS[raw & S_IFMT] ?? 'other',
    mode: (raw & 0o7777).toString(8).padStart(4, '0'),
    owner: m[2]!,
    size: Number(m[3]),
  };
}

/** '0640' or '640' → 0o640; throws on anything else, which is a caller bug. */
export function parseMode(mode: string): number {
  if (!/^[0-7]{3,4}$/.test(mode)) throw new Error(`invalid file mode ${JSON.stringify(mode)}: expected octal like '0640'`);
  return parseInt(mode, 8);
}

/** `stat` through any exec (SSH's, local, sudo's): one command, parsed; a failure is a TransportError naming the host. */
export async function statWith(host: string, exec: (cmd: RemoteCommand) => Promise<ExecResult>, remotePath: string): Promise<RemoteStat | undefined> {
  const r = await exec({ argv: statArgv(remotePath) });
  try {
    if (r.exitCode !== 0) throw new Error(r.stderr.trim() || `exit ${r.exitCode}`);
    return parseStat(r.stdout);
  } catch (err) {
    const e = new TransportError(host, 'protocol', `cannot stat ${remotePath}: ${(err as Error).message}`);
    e.cause = err;
    return Promise.reject(e);
  }
}
