/** /etc/os-release (freedesktop format): KEY=value lines, values optionally quoted. */
export interface OsRelease {
  readonly id: string;
  readonly versionId: string;
  readonly prettyName: string;
}

export function parseOsRelease(text: string): OsRelease | null {
  const vars = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(raw.trim());
    if (!m) continue;
    let v = m[2]!;
    if (/^(["']).*\1$/.test(v)) v = v.slice(1, -1).replace(/\\(["$`\\])/g, '$1');
    vars.set(m[1]!, v);
  }
  const id = vars.get('ID');
  if (id === undefined) return null;
  return { id, versionId: vars.get('VERSION_ID') ?? '', prettyName: vars.get('PRETTY_NAME') ?? id };
}
