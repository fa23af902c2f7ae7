/**
 * Shared pieces of "write a temp file beside the destination, then rename": the temp name (same directory, so the
 * rename never crosses filesystems: /opt and /tmp are different mounts on the lab hosts and many VMs) and the one
 * command that sets the owner and renames, removing the temp file when either fails.
 */
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';

export function tempPathBeside(dest: string): string {
  return posix.join(posix.dirname(dest), `.${posix.basename(dest)}.apim-${randomBytes(6).toString('hex')}.tmp`);
}

const CHOWN_AND_RENAME = 'chown -- "$1" "$2" && mv -f -- "$2" "$3" || { rc=$?; rm -f -- "$2"; exit "$rc"; }';

/** argv for: chown OWNER TMP && mv -f TMP DEST (owner may be `user` or `user:group`). */
export function chownAndRenameArgv(owner: string, tmp: string, dest: string): string[] {
  return ['sh', '-c', CHOWN_AND_RENAME, 'sh', owner, tmp, dest];
}
