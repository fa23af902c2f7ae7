import { parseVersion } from '../../catalog/semver.js';

export interface VersionStep {
  readonly from: string;
  readonly to: string;
}

/**
 * The version steps a schema migration takes, in order: WSO2 API Manager 4.x releases one minor at a time
 * (4.3.0, 4.4.0, 4.5.0, 4.6.0), and its migration resources go one release to the next, so 4.4.0 → 4.6.0 runs
 * 4.4.0 → 4.5.0, then 4.5.0 → 4.6.0. Returns a reason instead when there is nothing to migrate across.
 */
export function versionSteps(from: string, to: string): readonly VersionStep[] | string {
  const a = parseVersion(from);
  const b = parseVersion(to);
  if (!a || !b) return `${!a ? from : to} is not a version like 4.6.0`;
  if (a[0] !== b[0]) return `${from} → ${to} crosses a major version: not supported`;
  if (b[1] < a[1] || (b[1] === a[1] && b[2] < a[2])) return `${to} is older than ${from}: migrate goes forward only (blue stays for a rollback)`;
  if (b[1] === a[1] && b[2] === a[2]) return `${from} is ${to} already: update levels of one version roll in place with upgrade, no migration`;
  // A patch release of the same minor (none in 4.x so far) is one step of its own.
  if (b[1] === a[1]) return [{ from, to }];
  const steps: VersionStep[] = [];
  for (let minor = a[1]; minor < b[1]; minor++) {
    steps.push({ from: minor === a[1] ? from : `${a[0]}.${minor}.0`, to: minor + 1 === b[1] ? to : `${a[0]}.${minor + 1}.0` });
  }
  return steps;
}

/** `apim_db` at 4.6.0 → `apim_db_460`: the green copy's name, beside blue's on the same server. */
export const greenDatabaseName = (blue: string, to: string): string => `${blue}_${to.replace(/\./g, '')}`;

/** `4.5.0-to-4.6.0-20261202T084700Z`: names a migration's backups and state; fixed by its first run. */
export function migrationId(from: string, to: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${from}-to-${to}-${stamp}`;
}

/** The version pair an id was made for (`4.5.0-to-4.6.0-…`), to find an unfinished migration to continue. */
export const idPrefix = (from: string, to: string): string => `${from}-to-${to}-`;
