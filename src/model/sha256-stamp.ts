/**
 * Hashing a 450 MB distribution on a host costs seconds on every run. After an upload is verified, a stamp beside
 * the file (`<file>.apim-sha256`) records its sha256 with `stat`'s size, inode, mtime and ctime; the host probe
 * trusts the stamp while those still match. Any write, copy, `touch` or `chmod` moves ctime (which no tool can set
 * back), so a changed file is re-hashed; `--verify` ignores stamps altogether. Stamps are written only into
 * root-owned directories (the artifacts directory), so a service user cannot forge one.
 * Written by steps/upload-artifact.ts, read by facts/host-probe.ts.
 */
export const STAMP_SUFFIX = '.apim-sha256';
/** `stat -c` format: size, inode, mtime, ctime (nanoseconds: a change within the second must show; GNU stat 8.6+). */
export const STAMP_STAT = '%s %i %.9Y %.9Z';
