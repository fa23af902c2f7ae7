/** `df -Pk PATH` (POSIX output format, 1024-byte blocks) → free bytes and the mount point. */
export interface DiskFree {
  readonly mountPoint: string;
  readonly freeBytes: number;
}

export function parseDfPk(text: string): DiskFree | null {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  // Line 1 is the header; a long device name never wraps with -P.
  const fields = lines[1]?.trim().split(/\s+/);
  if (fields === undefined || fields.length < 6 || !/^\d+$/.test(fields[3]!)) return null;
  return { freeBytes: Number(fields[3]) * 1024, mountPoint: fields.slice(5).join(' ') };
}
