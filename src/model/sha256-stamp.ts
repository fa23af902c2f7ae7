/**
 * Hashing a 450 MB distribution on a host costs seconds on every run. After an upload is verified, a stamp beside
 * the file (`<file>.apim-sha256`) records its sha256 with `stat`'s size, inode, mtime and ctime; the host probe
 * trusts the stamp while those still match. Any write, copy, `touch` or `chmod` moves ctime (which no tool can set
 * back), so a changed file is re-hashed; `--verify` ignores stamps altogether. A stamp is written, and believed, only
 * in a directory owned by the user that writes and reads it (root, through sudo) and writable by nobody else (the
 * artifacts directory, not a release's lib that the service user owns): a service user can neither forge one nor
 * plant a link where root writes it.
 * Written by steps/upload-artifact.ts, read by facts/host-probe.ts.
 */
export const STAMP_SUFFIX = '.apim-sha256';
/** `stat -c` format: size, inode, mtime, ctime (nanoseconds: a change within the second must show; GNU stat 8.6+). */
export const STAMP_STAT = '%s %i %.9Y %.9Z';

/** sh test, true when directory "$d" belongs to the current user and no one else may write to it. */
export const PRIVATE_DIR_TEST = '[ "$(stat -c %u -- "$d")" = "$(id -u)" ] && [ -z "$(find "$d" -prune -perm /022)" ]';
