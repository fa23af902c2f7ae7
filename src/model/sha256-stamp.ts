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

/**
 * sh function: `sha256_of FILE` sets s to the file's sha256, through OpenSSL when the host has a working one, else
 * coreutils. Debian's sha256sum does not use the CPU's SHA instructions: 1.0 s of CPU for a 450 MB pack where
 * `openssl dgst` takes 0.3 s. Anything but 64 hex digits from OpenSSL falls back to sha256sum.
 */
export const SHA256_OF_FUNCTION = [
  'sha256_of() {',
  '  if s=$(openssl dgst -sha256 -r < "$1" 2>/dev/null) && s=${s%% *} && [ ${#s} -eq 64 ]; then',
  '    case $s in *[!0-9a-f]*) ;; *) return 0 ;; esac',
  '  fi',
  '  s=$(sha256sum < "$1") && s=${s%% *}',
  '}',
].join('\n');
