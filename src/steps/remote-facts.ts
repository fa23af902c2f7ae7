import { RemoteError } from '../errors.js';
import { PRIVATE_DIR_TEST, SHA256_OF_FUNCTION, STAMP_STAT, STAMP_SUFFIX } from '../model/sha256-stamp.js';
import type { RemoteCommand, Transport } from '../transport/transport.js';
import { exitMeaning } from './exec.js';

/** Cheap re-checks the executor runs just before changing a host. Each is a command plus a pure parser. */

export const sha256Command = (path: string): RemoteCommand => ({ argv: ['sha256sum', '--', path] });

/**
 * Hashes the file, prints the sha256 (or `absent`), and writes its stamp (model/sha256-stamp.ts) atomically, only
 * when it is the expected one (a corrupt upload is never stamped) and its directory is private to us.
 */
export const verifyAndStampCommand = (path: string, expected: string): RemoteCommand => ({
  argv: ['sh', '-c', [
    'set -e',
    '[ -f "$1" ] || { echo absent; exit 0; }',
    `st=$(stat -c '${STAMP_STAT}' -- "$1")`,
    SHA256_OF_FUNCTION,
    'sha256_of "$1"; echo "$s"',
    // Stamp only what was hashed: not if the file changed while it was read.
    `[ "$s" = "$2" ] && [ "$st" = "$(stat -c '${STAMP_STAT}' -- "$1")" ] || exit 0`,
    // Only where nobody else can write (model/sha256-stamp.ts): no forged stamp, no planted link to follow.
    `d=$(dirname -- "$1"); ${PRIVATE_DIR_TEST} || exit 0`,
    `printf '%s %s\\n' "$s" "$st" > "$1${STAMP_SUFFIX}.tmp"`,
    `mv -f -- "$1${STAMP_SUFFIX}.tmp" "$1${STAMP_SUFFIX}"`,
  ].join('\n'), 'verify-and-stamp', path, expected],
});

/** How a dry run shows verifyAndStampCommand's hash of `path`. */
export const verifyDisplay = (path: string): string => `openssl dgst -sha256 -r < ${path}  (sha256sum without OpenSSL)`;

/** sha256 of a remote file, or null when it does not exist. */
export async function remoteSha256(transport: Transport, path: string, signal?: AbortSignal): Promise<string | null> {
  const r = await transport.exec(sha256Command(path), signal);
  const hash = /^([0-9a-f]{64})\b/.exec(r.stdout)?.[1];
  if (r.exitCode === 0 && hash) return hash;
  if (/No such file/.test(r.stderr)) return null;
  throw new RemoteError(transport.host, `cannot hash ${path} (${exitMeaning(r.exitCode, r.signal)})`, r.stderr.trim());
}

/**
 * Alive = signalable and not a zombie: an exited daemon stays signalable until its parent (often a slow PID 1)
 * reaps it, and must count as gone.
 */
const ALIVE_TEST = 'kill -0 "$pid" 2>/dev/null && ! { sed "s/.*) //" "/proc/$pid/stat" 2>/dev/null | grep -q "^Z"; }';

/** Prints the PID and exits 0 only when the PID file names a live process. */
export const pidAliveCommand = (pidFile: string): RemoteCommand => ({
  argv: ['sh', '-c', `pid=$(cat -- "$1" 2>/dev/null) && ${ALIVE_TEST} && echo "$pid"`, 'pid-alive', pidFile],
});

/** The live PID from a PID file, or null when the file is absent or its process is gone. */
export async function livePid(transport: Transport, pidFile: string, signal?: AbortSignal): Promise<number | null> {
  const r = await transport.exec(pidAliveCommand(pidFile), signal);
  const pid = Number(r.stdout.trim());
  return r.exitCode === 0 && Number.isInteger(pid) && pid > 0 ? pid : null;
}

export const processAliveCommand = (pid: number): RemoteCommand => ({ argv: ['sh', '-c', `pid=$1; ${ALIVE_TEST}`, 'process-alive', String(pid)] });

export async function processAlive(transport: Transport, pid: number, signal?: AbortSignal): Promise<boolean> {
  return (await transport.exec(processAliveCommand(pid), signal)).exitCode === 0;
}

/** The first 12 hex digits of a sha256, or of an HMAC (`hmac:` kept, so a sealed digest reads as one). */
export function shortSha(sha: string | null): string {
  if (sha === null) return 'absent';
  return sha.startsWith('hmac:') ? `hmac:${sha.slice(5, 17)}` : sha.slice(0, 12);
}
