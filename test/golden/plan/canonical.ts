/**
 * Two views of a plan for the golden files: canonical JSON (keys sorted at every depth, so building objects in
 * another order changes nothing; arrays keep their order, which is the plan's), and one line per leaf value named by
 * its path, steps by id and waves by label, so a mismatch reads as
 * `waves[gateway].steps[gw-1/start-component/gateway].reason = "not running"` instead of a bare line of JSON.
 */

const sortKeys = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
};

/** Secret values are already `***` here: JSON.stringify calls their toJSON before the keys are sorted. */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(JSON.parse(JSON.stringify(value))), null, 2)}\n`;
}

function elementName(element: unknown, index: number): string {
  if (element !== null && typeof element === 'object') {
    const { id, label } = element as { id?: unknown; label?: unknown };
    if (typeof id === 'string') return id;
    if (typeof label === 'string') return label;
  }
  return String(index);
}

/** One `path = value` line per leaf of a parsed JSON value. */
export function pathLines(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) {
    return value.length === 0 ? [`${path} = []`] : value.flatMap((e, i) => pathLines(e, `${path}[${elementName(e, i)}]`));
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    if (keys.length === 0) return [`${path} = {}`];
    return keys.flatMap((k) => pathLines((value as Record<string, unknown>)[k], path ? `${path}.${k}` : k));
  }
  return [`${path} = ${JSON.stringify(value)}`];
}
