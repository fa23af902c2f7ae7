import { dottedPath, type DocPath, type YamlSource } from '../yaml/source.js';

/** What `apim-deploy init` writes where only the operator knows the value. */
export const PLACEHOLDER = '<CHANGE-ME>';

/** "fill in the address of host cp-1": what a placeholder at `path` stands for. */
function fillIn(path: DocPath): string {
  const [a, b, c, d] = path.map(String);
  if (a === 'hosts' && c === 'address') return `fill in the address of host ${b}`;
  if (a === 'apim' && b === 'distributions' && d === 'path') return `fill in the path of the ${c} distribution zip`;
  if (a === 'apim' && b === 'jdk') return 'fill in the path of the JDK tarball';
  if (a === 'apim' && b === 'jdbc_driver') return 'fill in the path of the JDBC driver jar';
  return `fill in ${dottedPath(path)}`;
}

/**
 * Finds `<CHANGE-ME>` values left from `init`, says what each stands for, and returns the check that keeps other
 * complaints about the same values out (a placeholder is not "an invalid address" or "a missing file").
 */
export function checkPlaceholders(raw: unknown, src: YamlSource): (issuePath: string) => boolean {
  const found: string[] = [];
  const visit = (value: unknown, path: DocPath) => {
    if (typeof value === 'string' && value.includes(PLACEHOLDER)) {
      src.add(path, fillIn(path));
      found.push(dottedPath(path));
    } else if (Array.isArray(value)) value.forEach((v, i) => visit(v, [...path, i]));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) visit(v, [...path, k]);
  };
  visit(raw, []);
  return (issuePath) => found.some((p) => issuePath === p || issuePath.startsWith(`${p}.`));
}

/** Drops the other issues at placeholder paths, keeping the "fill in" ones. */
export function keepPlaceholderIssues(src: YamlSource, atPlaceholder: (path: string) => boolean): void {
  const kept = src.issues.filter((i) => !atPlaceholder(i.path) || i.message.startsWith('fill in '));
  src.issues.splice(0, src.issues.length, ...kept);
}
