/**
 * The small part of semver that role.yaml needs: `x.y.z` versions and ranges made of space-separated
 * comparators (`>=4.0.0 <4.5.0`), alternatives joined by `||`. No pre-release ordering: WSO2 ships plain x.y.z.
 */
export type Version = readonly [number, number, number];

const VERSION_RE = /^(\d+)\.(\d+)\.(\d+)$/;
const COMPARATOR_RE = /^(>=|<=|>|<|=)?(\d+\.\d+\.\d+)$/;

export function parseVersion(text: string): Version | undefined {
  const m = VERSION_RE.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

/** Why the range is invalid, or undefined when it is valid. */
export function rangeProblem(range: string): string | undefined {
  const alternatives = range.split('||').map((s) => s.trim());
  for (const alt of alternatives) {
    if (alt === '') return `empty alternative in "${range}"`;
    for (const part of alt.split(/\s+/)) {
      if (!COMPARATOR_RE.test(part)) return `"${part}" is not a comparator like >=4.5.0 or <4.5.0`;
    }
  }
  return undefined;
}

/** True when `version` satisfies `range`. Throws on a malformed version or range (validated at load). */
export function satisfies(version: string, range: string): boolean {
  const v = parseVersion(version);
  if (!v) throw new Error(`"${version}" is not a version like 4.6.0`);
  const problem = rangeProblem(range);
  if (problem) throw new Error(problem);
  return range.split('||').some((alt) =>
    alt
      .trim()
      .split(/\s+/)
      .every((part) => {
        const m = COMPARATOR_RE.exec(part) as RegExpExecArray;
        const c = compare(v, parseVersion(m[2] as string) as Version);
        switch (m[1] ?? '=') {
          case '>=':
            return c >= 0;
          case '<=':
            return c <= 0;
          case '>':
            return c > 0;
          case '<':
            return c < 0;
          default:
            return c === 0;
        }
      }),
  );
}

/** `>=4.0.0 <4.7.0` → `4.0.0 to 4.6.x` (for messages); any other range as written. */
export function describeRange(range: string): string {
  const m = /^>=(\d+\.\d+\.\d+) <(\d+)\.(\d+)\.0$/.exec(range.trim());
  if (!m || m[3] === '0') return range;
  return `${m[1]} to ${m[2]}.${Number(m[3]) - 1}.x`;
}
