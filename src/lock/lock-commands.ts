import type { RemoteCommand } from '../transport/transport.js';
import { STATE_DIR } from '../topology/layout.js';

/** One lock per deployment, on its lock host (see lockHost). */
export const LOCK_FILE = `${STATE_DIR}/deploy.lock`;

/** Exit code of the acquire script when someone else holds the lock (it prints the lock file). */
export const HELD_EXIT = 3;

/**
 * Writes the holder to a temp file, then hard-links it to the lock path: `ln` fails when the lock exists, so
 * taking it is atomic and a reader never sees a half-written lock.
 */
const ACQUIRE_SCRIPT = [
  'set -u',
  'lock=$1 tmp=$1.$$',
  'mkdir -p -- "$(dirname -- "$lock")" || exit 1',
  'cat > "$tmp" || exit 1',
  'if ln -- "$tmp" "$lock" 2>/dev/null; then rm -f -- "$tmp"; exit 0; fi',
  'rm -f -- "$tmp"',
  'cat -- "$lock" 2>/dev/null',
  `exit ${HELD_EXIT}`,
].join('\n');

/** Removes the lock only while it still carries our token (a forced release may have handed it on). */
const RELEASE_SCRIPT = 'if grep -qF -- "$2" "$1" 2>/dev/null; then rm -f -- "$1"; fi';

export const acquireCommand = (holderJson: string, path = LOCK_FILE): RemoteCommand => ({
  argv: ['sh', '-c', ACQUIRE_SCRIPT, 'deploy-lock', path],
  stdin: `${holderJson}\n`,
});

export const releaseCommand = (token: string, path = LOCK_FILE): RemoteCommand => ({
  argv: ['sh', '-c', RELEASE_SCRIPT, 'deploy-unlock', path, token],
});

/** `lock release`: for a lock whose run is gone. */
export const forceReleaseCommand = (path = LOCK_FILE): RemoteCommand => ({ argv: ['rm', '-f', '--', path] });

/** Prints the lock file; exit 1 when there is none. */
export const readCommand = (path = LOCK_FILE): RemoteCommand => ({ argv: ['cat', '--', path] });
