import type { RemoteCommand } from '../transport/transport.js';
import { STATE_DIR } from '../topology/layout.js';

/** One lock per deployment, on its lock host (see lockHost). */
export const LOCK_FILE = `${STATE_DIR}/deploy.lock`;

/** Exit code of the acquire script when someone else holds the lock (it prints the lock file, then its age). */
export const HELD_EXIT = 3;
/** Exit code of renew and take-over when the lock no longer carries the expected token. */
export const NOT_THEIRS_EXIT = 4;

/** The line after the holder in the acquire script's answer: seconds since the holder last touched the lock. */
export const AGE_PREFIX = 'apim-deploy-lock-age-s ';

/** A line of a lock command's answer: its audit lines were not written, and why (the lock command's outcome stands). */
export const AUDIT_FAILED_PREFIX = 'apim-deploy-audit-not-written ';

/**
 * The audit lines a lock command appends to the lock host's audit log, so that taking the lock and saying so (or
 * saying how the run ended and giving the lock back) cost one command. The lines travel on stdin, after the holder.
 */
export interface LockAuditLines {
  readonly file: string;
  /** JSON lines, each ending in a newline. */
  readonly lines: string;
}

/**
 * Makes the directory of the file "$1" when it is missing. The directory is cut from the path by the shell and
 * mkdir runs only when needed: the lock commands sit on every run's critical path, and each fork costs.
 */
const PARENT_DIR_FUNCTION = 'parent_dir() { d=${1%/*}; [ -d "${d:-/}" ] || mkdir -p -- "${d:-/}"; }';

/**
 * Appends the rest of stdin to the audit log "$1". Best effort: a failure is a line of the answer, never the lock
 * command's exit code.
 */
const AUDIT_FUNCTION = [
  PARENT_DIR_FUNCTION,
  'audit() {',
  '  e=$( { parent_dir "$1" && cat >> "$1"; } 2>&1 ) ||',
  `  printf '\\n${AUDIT_FAILED_PREFIX}%s\\n' "\${e:-cannot append to $1}"`,
  '}',
].join('\n');

/**
 * Writes the holder to a temp file, then hard-links it to the lock path: `ln` fails when the lock exists, so
 * taking it is atomic and a reader never sees a half-written lock. A held lock is printed with its age by the lock
 * host's clock (the holder renews its lease by touching the file).
 */
const ACQUIRE_SCRIPT = [
  'set -u',
  AUDIT_FUNCTION,
  'lock=$1 tmp=$1.$$',
  'parent_dir "$lock" || exit 1',
  // `read` takes the holder's line alone; the audit lines after it stay on stdin.
  'IFS= read -r holder && printf \'%s\\n\' "$holder" > "$tmp" || exit 1',
  'if ln -- "$tmp" "$lock" 2>/dev/null; then rm -f -- "$tmp"; [ -z "$2" ] || audit "$2"; exit 0; fi',
  'rm -f -- "$tmp"',
  'cat -- "$lock" 2>/dev/null',
  `printf '\\n${AGE_PREFIX}%s\\n' "$(( $(date +%s) - $(stat -c %Y -- "$lock" 2>/dev/null || date +%s) ))"`,
  `exit ${HELD_EXIT}`,
].join('\n');

/**
 * Renew, take over and release change a lock only while it carries a given token, under flock(1) on a guard file
 * beside it: a take-over and the holder's release or renewal never interleave.
 */
const guarded = (script: string, name: string, path: string, ...args: string[]): string[] =>
  ['flock', '-w', '30', `${path}.guard`, 'sh', '-c', script, name, path, ...args];

/** The lock "$1" (one line, the holder) still carries token "$2"; read by the shell itself, not grep. */
const IF_THEIRS = `held=; { IFS= read -r held < "$1"; } 2>/dev/null; case $held in *"$2"*) ;; *) exit ${NOT_THEIRS_EXIT} ;; esac`;

export const acquireCommand = (holderJson: string, path = LOCK_FILE, audit?: LockAuditLines): RemoteCommand => ({
  argv: ['sh', '-c', ACQUIRE_SCRIPT, 'deploy-lock', path, audit?.file ?? ''],
  stdin: `${holderJson}\n${audit?.lines ?? ''}`,
});

/** The holder's lease: touch the lock while it is still ours. */
export const renewCommand = (token: string, path = LOCK_FILE): RemoteCommand => ({
  argv: guarded(`${IF_THEIRS}; touch -- "$1"`, 'deploy-lock-renew', path, token),
});

/** Replaces a stale holder's lock (still carrying `staleToken`) with ours, then appends the audit lines. */
export const takeOverCommand = (holderJson: string, staleToken: string, path = LOCK_FILE, audit?: LockAuditLines): RemoteCommand => ({
  argv: guarded([
    AUDIT_FUNCTION, IF_THEIRS,
    'IFS= read -r holder && printf \'%s\\n\' "$holder" > "$1.$$" && mv -f -- "$1.$$" "$1" || exit 1',
    '[ -z "$3" ] || audit "$3"',
  ].join('\n'), 'deploy-lock-take-over', path, staleToken, audit?.file ?? ''),
  stdin: `${holderJson}\n${audit?.lines ?? ''}`,
});

/**
 * Appends the audit lines (first: they say how the run ended, whatever became of the lock), then removes the lock
 * only while it still carries our token (a take-over or a forced release may have handed it on).
 */
export const releaseCommand = (token: string, path = LOCK_FILE, audit?: LockAuditLines): RemoteCommand => ({
  argv: guarded([AUDIT_FUNCTION, '[ -z "$3" ] || audit "$3"', IF_THEIRS, 'rm -f -- "$1"'].join('\n'), 'deploy-unlock', path, token, audit?.file ?? ''),
  ...(audit ? { stdin: audit.lines } : {}),
});

/** `lock release`: for a lock whose run is gone. */
export const forceReleaseCommand = (path = LOCK_FILE): RemoteCommand => ({ argv: ['rm', '-f', '--', path] });

/** Prints the lock file, then its age line; exit 1 when there is none. */
export const readCommand = (path = LOCK_FILE): RemoteCommand => ({
  argv: ['sh', '-c', `cat -- "$1" && printf '\\n${AGE_PREFIX}%s\\n' "$(( $(date +%s) - $(stat -c %Y -- "$1") ))"`, 'deploy-lock-read', path],
});

/** Why a lock command's audit lines were not written (null: written, or none asked for). */
export function auditProblem(out: string): string | null {
  const at = out.lastIndexOf(AUDIT_FAILED_PREFIX);
  return at < 0 ? null : out.slice(at + AUDIT_FAILED_PREFIX.length).trim();
}

/** The holder's JSON and its age in ms (null when the answer has no age line). */
export function splitAge(out: string): { text: string; ageMs: number | null } {
  const at = out.lastIndexOf(AGE_PREFIX);
  if (at < 0) return { text: out, ageMs: null };
  const seconds = Number(out.slice(at + AGE_PREFIX.length).trim());
  return { text: out.slice(0, at), ageMs: Number.isFinite(seconds) ? seconds * 1000 : null };
}
