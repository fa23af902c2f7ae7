/**
 * Whether a running node may roll in place from one API Manager version to another (roles/wso2-server.yaml
 * versionPolicy): only when both hold the same database schema. Pure; the upgrade workflow reads the versions.
 */
import type { VersionPolicy } from '../model/role.js';
import { parseVersion } from './semver.js';

const PARTS = { major: 1, minor: 2, patch: 3 } as const;

/** True when `from` and `to` share a schema under `policy` (also true for equal versions). */
export function sameSchema(policy: VersionPolicy, from: string, to: string): boolean {
  const a = parseVersion(from);
  const b = parseVersion(to);
  if (!a || !b) throw new Error(`"${a ? to : from}" is not a version like 4.6.0`);
  return a.slice(0, PARTS[policy.schemaChangesWith]).every((part, i) => part === b[i]);
}

/** The nodes' versions that cannot roll in place to `to`, each with the nodes running it (empty: the roll may go). */
export function crossVersionNodes(policy: VersionPolicy, running: ReadonlyMap<string, string>, to: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [node, version] of running) {
    if (sameSchema(policy, version, to)) continue;
    (out.get(version) ?? out.set(version, []).get(version)!).push(node);
  }
  return out;
}
