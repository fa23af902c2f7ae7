/** One member of a built archive. No data means a directory. Modes are set here, never taken from disk. */
export interface ArchiveEntry {
  readonly path: string; // relative, '/'-separated, directories without the trailing slash
  readonly mode: number; // 0o755, 0o644
  readonly data?: Buffer;
  /** Kept uncompressed (incompressible padding: deflating it costs time and gains nothing). */
  readonly store?: boolean;
}

/** Adds every missing parent directory and sorts, so archives list parents first and come out byte-identical. */
export function withParentDirs(entries: readonly ArchiveEntry[]): ArchiveEntry[] {
  const byPath = new Map<string, ArchiveEntry>();
  for (const e of entries) {
    byPath.set(e.path, e);
    const parts = e.path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/');
      if (!byPath.has(dir)) byPath.set(dir, { path: dir, mode: 0o755 });
    }
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
