/**
 * Putting a file in place without letting another user redirect root (issue 16, item 12). A WSO2 release directory
 * belongs to the service user: a `chown` or `chmod` by root of a name in there follows whatever link that user
 * swaps in (root would hand /etc/shadow to wso2carbon), and a write through a directory it replaced with a link lands
 * elsewhere. So before writing, the destination directory is classified (CHAIN_SCRIPT, once per directory):
 * - `root`: every directory from / down is root's alone (no group or other write): nobody else can swap anything,
 *   so root writes a temp file beside the destination, sets mode and owner (`chown -h`), and renames it in place;
 * - `user NAME`: NAME controls a directory on the way: the file must be NAME's, and NAME places it itself, from a
 *   copy staged in root's private STAGING_DIR, so a link it planted can only lead where it could write anyway;
 * - `unsafe ...`: anything else (a directory others may write, two users on the way): refused;
 * - `self`: the check does not run as root (the login user writing its own temp directory before a sudo'd move):
 *   nobody redirects a user who can only write where it may anyway, so it writes beside and renames.
 */
import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import { SHA256_OF_FUNCTION } from '../model/sha256-stamp.js';

export function tempPathBeside(dest: string): string {
  return posix.join(posix.dirname(dest), `.${posix.basename(dest)}.apim-${randomBytes(6).toString('hex')}.tmp`);
}

/** Root's private directory for uploads that a service user places itself (a transport directory, 0700). */
export const STAGING_DIR = '/var/lib/apim-deploy/.staging';

export function stagedPath(): string {
  return `${STAGING_DIR}/${randomBytes(8).toString('hex')}`;
}

/**
 * Prints `root`, `user NAME`, `missing` or `unsafe WHY` for directory $1 (walking its path and its real path up to /), and
 * makes STAGING_DIR root's, 0700, not a link; `self` when not run as root. GNU stat.
 * It runs before most uploads, so it forks little: the walk is parameter expansion and every directory on both paths
 * is read by one `stat` (a `stat` and a `dirname` per level cost 85 processes for a release's conf directory).
 */
export const CHAIN_SCRIPT = [
  'set -u',
  'dir=$1 stage=$2',
  '[ "$(id -u)" = 0 ] || { echo self; exit 0; }',
  'mkdir -p -m 700 -- "$stage" && chmod 700 -- "$stage" || exit 1',
  'if [ -L "$stage" ] || [ "$(stat -c %u -- "$stage")" != 0 ]; then echo "unsafe staging directory $stage is not root\'s own"; exit 0; fi',
  '[ -d "$dir" ] || { echo missing; exit 0; }',
  'case $dir in /*) ;; *) echo "unsafe $dir is not an absolute path"; exit 0 ;; esac',
  'real=$(realpath -e -- "$dir") || { echo "unsafe cannot resolve $dir"; exit 0; }',
  // A link's own owner and mode mean nothing: where it leads is walked from the real path.
  'set --',
  'for start in "$dir" "$real"; do',
  '  p=$start',
  '  while :; do',
  '    [ -L "$p" ] || set -- "$@" "$p"',
  '    [ "$p" = / ] && break',
  '    p=${p%/*}; p=${p:-/}',
  '  done',
  'done',
  'nl=\'',
  '\'',
  'out=$(stat -c "%u %U %a" -- "$@") || exit 1',
  'out=$out$nl',
  'user=',
  'for p in "$@"; do',
  '  line=${out%%"$nl"*}; out=${out#*"$nl"}',
  '  uid=${line%% *}; mode=${line##* }; name=${line#* }; name=${name% *}',
  '  if [ "$uid" != 0 ]; then',
  '    if [ -n "$user" ] && [ "$user" != "$name" ]; then echo "unsafe both $user and $name control directories on the way to $dir"; exit 0; fi',
  '    user=$name',
  '  fi',
  // Sticky directories (/tmp) let others add names, never replace ours.
  '  if [ $(( 0$mode & 022 )) -ne 0 ] && [ $(( 0$mode & 01000 )) -eq 0 ]; then echo "unsafe $p may be written by its group or by others (mode $mode)"; exit 0; fi',
  'done',
  'if [ -n "$user" ]; then echo "user $user"; else echo root; fi',
].join('\n');

export const chainArgv = (dir: string): string[] => ['sh', '-c', CHAIN_SCRIPT, 'dir-chain', dir, STAGING_DIR];

export type DirChain =
  | { readonly kind: 'root' }
  | { readonly kind: 'self' }
  | { readonly kind: 'user'; readonly user: string }
  | { readonly kind: 'missing' }
  | { readonly kind: 'unsafe'; readonly why: string };

export function parseChain(stdout: string): DirChain {
  const line = stdout.trim();
  if (line === 'root') return { kind: 'root' };
  if (line === 'self') return { kind: 'self' };
  if (line === 'missing') return { kind: 'missing' };
  const user = /^user (\S+)$/.exec(line)?.[1];
  if (user) return { kind: 'user', user };
  return { kind: 'unsafe', why: line.replace(/^unsafe /, '') || 'the directory could not be checked' };
}

/** `chown -h` (a link swapped in for the temp file is changed itself, never its target), then one rename. */
const CHOWN_AND_RENAME = 'chown -h -- "$1" "$2" && mv -f -T -- "$2" "$3" || { rc=$?; rm -f -- "$2"; exit "$rc"; }';

/** argv for: chown -h OWNER TMP && mv -f -T TMP DEST (owner may be `user` or `user:group`); a root-only directory. */
export function chownAndRenameArgv(owner: string, tmp: string, dest: string): string[] {
  return ['sh', '-c', CHOWN_AND_RENAME, 'sh', owner, tmp, dest];
}

/**
 * An upload already on the host, in a place only root and the login user reach (the become transport's private temp
 * directory, or the directory UPLOAD_DIR_BESIDE made), moved into a directory only root can change: a temp name beside
 * DEST (same filesystem), mode, owner (`chown -h`), one rename. The upload is removed on any failure; DROP, when
 * given (the directory beside DEST the upload came in), is removed whatever happens.
 */
const MOVE_INTO_PLACE = [
  'src=$1 dest=$2 mode=$3 owner=$4 drop=${5:-}',
  'tmp=$(mktemp -- "$(dirname -- "$dest")/.apim-XXXXXXXX") || tmp=',
  // Not `if …; then exit 0; fi; rc=$?`: an if whose condition failed exits 0, which hid a failed move (a full disk).
  '[ -n "$tmp" ] && mv -f -T -- "$src" "$tmp" && chmod -- "$mode" "$tmp" && chown -h -- "$owner" "$tmp" && mv -f -T -- "$tmp" "$dest"',
  'rc=$?; [ "$rc" = 0 ] || rm -f -- ${tmp:+"$tmp"} "$src"; [ -z "$drop" ] || rm -rf -- "$drop"; exit "$rc"',
].join('\n');

/**
 * The verdict protocol of the commands that check a directory themselves: CHAIN_SCRIPT ($chain) on $dir (with the
 * staging directory $stage) into v, `onFailure` when it fails or says nothing, else the verdict printed as the first
 * line of output (the controller keeps it and words any refusal from it).
 */
const printVerdict = (onFailure: string): string[] => [
  `v=$(sh -c "$chain" dir-chain "$dir" "$stage") && [ -n "$v" ] || ${onFailure}`,
  'printf "%s\\n" "$v"',
];

/**
 * As root: a fresh directory beside DEST (so on DEST's filesystem), owned like REF (the login user's private temp
 * directory) and 0700, for a large upload the login user writes and root then renames into place. Only made where
 * nobody but root can change DEST's directory (CHAIN_SCRIPT's verdict `root`, printed first), so nobody can swap the
 * new directory either. Prints the verdict, then the directory's path when it made one; exit 3 when not root (a
 * become user that cannot give the directory away).
 */
const UPLOAD_DIR_BESIDE = [
  'set -u',
  'chain=$1 dir=$2 stage=$3 dest=$4 ref=$5',
  ...printVerdict('exit'),
  '[ "$v" = root ] || exit 0',
  '[ "$(id -u)" = 0 ] || exit 3',
  'd=$(mktemp -d -- "$dir/.apim-upload-XXXXXXXX") || exit 1',
  'chown -h --reference="$ref" -- "$d" && chmod 700 -- "$d" || { rmdir -- "$d"; exit 1; }',
  'printf "%s\\n" "$d"',
].join('\n');

/** argv that checks DEST's directory and, when only root can change it, makes the upload directory beside DEST. */
export const uploadDirBesideArgv = (dest: string, ownedLike: string): string[] =>
  ['sh', '-c', UPLOAD_DIR_BESIDE, 'upload-dir', CHAIN_SCRIPT, posix.dirname(dest), STAGING_DIR, dest, ownedLike];

export const moveIntoPlaceArgv = (upload: string, dest: string, mode: string, owner: string, drop?: string): string[] =>
  ['sh', '-c', MOVE_INTO_PLACE, 'move-into-place', upload, dest, mode, owner, ...(drop ? [drop] : [])];

/** Run as the directory's own user: a temp file beside DEST filled from stdin, mode and group set, then renamed. */
const PLACE_AS_OWNER = [
  'umask 077',
  't=$(mktemp -- "$(dirname -- "$3")/.apim-XXXXXXXX") || exit 1',
  'cat > "$t" && chmod -- "$1" "$t" && { [ -z "$2" ] || chgrp -- "$2" "$t"; } && mv -f -T -- "$t" "$3" && exit 0',
  'rc=$?; rm -f -- "$t"; exit "$rc"',
].join('\n');

/** As root: the staged copy fed to the owner, who places it; the staged copy removed either way. */
const PLACE = 'user=$1 staged=$2; shift 2; runuser -u "$user" -- sh -c "$0" place "$@" < "$staged"; rc=$?; rm -f -- "$staged"; exit "$rc"';

/** argv that places `staged` at `dest` as `user` (mode like 0600, group optional). */
export function placeAsOwnerArgv(user: string, staged: string, dest: string, mode: string, group: string | undefined): string[] {
  return ['sh', '-c', PLACE, PLACE_AS_OWNER, user, staged, mode, group ?? '', dest];
}

/** The line CHECK_AND_PLACE prints after the verdict when the verdict allows no placement (the upload is removed). */
export const CHECK_REFUSED = 'refused';

/**
 * As root, for an upload in a place only root and the login user reach: CHAIN_SCRIPT's verdict on DEST's directory,
 * printed (the caller caches it and words a refusal from it), then in the same command the placement that verdict
 * allows: MOVE_INTO_PLACE where only root can change the directory (or `self`), PLACE where the directory's user is
 * the file's. Any other verdict removes the upload and prints CHECK_REFUSED. One sudo where the check and the move
 * cost two; a failed check prints nothing and removes the upload.
 */
const CHECK_AND_PLACE = [
  'set -u',
  'chain=$1 move=$2 place=$3 as_owner=$4 dir=$5 stage=$6 src=$7 dest=$8 mode=$9 owner=${10} user=${11} group=${12}',
  ...printVerdict('{ rc=$?; rm -f -- "$src"; exit "$rc"; }'),
  'case $v in',
  '  root|self) exec sh -c "$move" move-into-place "$src" "$dest" "$mode" "$owner" ;;',
  '  "user $user") exec sh -c "$place" "$as_owner" "$user" "$src" "$mode" "$group" "$dest" ;;',
  'esac',
  `rm -f -- "$src"; echo ${CHECK_REFUSED}`,
].join('\n');

/** argv that checks `dest`'s directory and places `upload` there in one command (CHECK_AND_PLACE). */
export function checkAndPlaceArgv(upload: string, dest: string, mode: string, owner: string): string[] {
  const { user, group } = splitOwner(owner);
  return ['sh', '-c', CHECK_AND_PLACE, 'check-and-place', CHAIN_SCRIPT, MOVE_INTO_PLACE, PLACE, PLACE_AS_OWNER,
    posix.dirname(dest), STAGING_DIR, upload, dest, mode, owner, user, group ?? ''];
}

/** `user` and `group` of an owner spec `user` or `user:group`. */
export function splitOwner(owner: string): { user: string; group: string | undefined } {
  const [user, group] = owner.split(':');
  return { user: user!, group: group || undefined };
}

/** GUARD's exit when the destination holds something else; its one line of output is `drift SHA256` or `drift absent`. */
export const GUARD_DRIFT_EXIT = 65;

/**
 * As root, before a placement command: DEST's sha256 (`absent` when there is nothing there), and the placement run only
 * when that is one of ALLOWED (space-separated). Otherwise the upload is removed and GUARD_DRIFT_EXIT says what is
 * there. The re-check an upload-file step made with a sudo of its own, in the placement's one.
 */
const GUARD = [
  'set -u',
  'dest=$1 src=$2 allowed=$3; shift 3',
  SHA256_OF_FUNCTION,
  'if [ -e "$dest" ]; then sha256_of "$dest" || { rc=$?; rm -f -- "$src"; exit "$rc"; }; else s=absent; fi',
  'case " $allowed " in *" $s "*) exec "$@" ;; esac',
  `rm -f -- "$src"; printf 'drift %s\\n' "$s"; exit ${GUARD_DRIFT_EXIT}`,
].join('\n');

/** `placement` (an argv that places `upload` at `dest`) run only while `dest` holds one of `replaces` (null: absent). */
export function guardedArgv(dest: string, upload: string, replaces: readonly (string | null)[], placement: readonly string[]): string[] {
  return ['sh', '-c', GUARD, 'guard', dest, upload, replaces.map((r) => r ?? 'absent').join(' '), ...placement];
}

/** What GUARD found instead (a sha256, or null for absent) when it refused; undefined when it did not refuse. */
export function guardDrift(r: { readonly exitCode: number | null; readonly stdout: string }): string | null | undefined {
  if (r.exitCode !== GUARD_DRIFT_EXIT) return undefined;
  const found = /^drift (absent|[0-9a-f]{64})$/m.exec(r.stdout)?.[1];
  if (found === undefined) return undefined;
  return found === 'absent' ? null : found;
}
