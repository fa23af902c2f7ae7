import { basename } from 'node:path';
import type { RoleCatalog } from '../catalog/roles.js';
import { describeRange, parseVersion, satisfies } from '../catalog/semver.js';
import { distributionOf, isWso2Role, wso2Server } from '../catalog/variants.js';
import type { ArtifactRef, DistributionKind, Inventory, RoleName } from '../model/inventory.js';
import { didYouMean } from '../model/did-you-mean.js';
import { checkRegularFile } from '../files/bounded-read.js';
import { dottedPath, type DocPath, type YamlSource } from '../yaml/source.js';
import { ARTIFACT_FILE_NAME, SHA256 } from './names.js';
import { resolveInventoryPath } from './paths.js';
import type { WrittenInventory } from './schema.js';
import { quoted } from '../yaml/shown.js';

/** True when `version` is MAJOR.MINOR.PATCH within the versions roles/wso2-server.yaml supports; else an issue. */
export function checkVersion(version: string, catalog: RoleCatalog, src: YamlSource): boolean {
  if (!parseVersion(version)) {
    src.add(['apim', 'version'], `${quoted(version)} is not a version: write it as MAJOR.MINOR.PATCH, like 4.6.0 (quoted if YAML reads it as a number)`);
    return false;
  }
  const supported = wso2Server(catalog).versions;
  if (!satisfies(version, supported)) {
    src.add(['apim', 'version'], `APIM ${version} is not supported: apim-deploy installs ${describeRange(supported)}`);
    return false;
  }
  return true;
}

export interface ArtifactCheck {
  readonly catalog: RoleCatalog;
  /** The checked version, or undefined when it is invalid (the packs are then not checked). */
  readonly version: string | undefined;
  readonly rolesInUse: ReadonlySet<RoleName>;
  readonly requireFiles: boolean;
}

/** The distributions the roles in use need at this version (role.yaml variants), resolved and (when asked) found on disk. */
export function checkArtifacts(w: WrittenInventory, file: string, check: ArtifactCheck, src: YamlSource): { apim: Inventory['apim']; needed: Map<DistributionKind, RoleName[]> } {
  const { catalog, version } = check;
  const versionText = w.apim.version;
  const needed = version ? neededPacks(check, src) : new Map<DistributionKind, RoleName[]>();
  const seen = new Map<string, string>();
  const ref = (at: DocPath, a: { path: string; sha256?: string }, used = true): ArtifactRef => {
    const path = resolveInventoryPath(file, a.path.replaceAll('{version}', versionText));
    if (a.sha256 !== undefined && !SHA256.test(a.sha256)) src.add([...at, 'sha256'], `sha256 must be ${SHA256.expected}`);
    const name = basename(path);
    if (!ARTIFACT_FILE_NAME.test(name)) src.add([...at, 'path'], `file name ${quoted(name)} is not allowed (it is uploaded under this name): use ${ARTIFACT_FILE_NAME.expected}`);
    const twice = seen.get(path);
    if (twice !== undefined) src.add([...at, 'path'], `${path} is also given for ${twice}: each pack, the JDK and the driver is a file of its own`);
    seen.set(path, dottedPath(at));
    // A listed pack no role uses is never pushed, so its absence does not matter.
    if (check.requireFiles && used) {
      const file = checkRegularFile(path);
      if (!file.ok && file.reason === 'missing') {
        src.add([...at, 'path'], `file not found: ${path} (paths are relative to the inventory file; fetch it, e.g. apim-deploy lab dist --version ${versionText})`);
      } else if (!file.ok) {
        src.add([...at, 'path'], `${path} ${file.message}`);
      }
    }
    return { path, written: a.path, sha256: a.sha256?.toLowerCase(), pos: src.pos([...at, 'path']) };
  };
  const known = new Set(Object.values(catalog).flatMap((r) => (r.runtime.kind === 'wso2' ? r.runtime.variants.map((v) => v.distribution) : [])));
  const atVersion = new Set(version ? Object.values(catalog).flatMap((r) => distributionOf(r, version) ?? []) : known);
  const distributions: Record<DistributionKind, ArtifactRef> = {};
  for (const [kind, a] of Object.entries(w.apim.distributions)) {
    const at = ['apim', 'distributions', kind];
    if (!known.has(kind)) src.add(at, `unknown distribution ${quoted(kind)}${didYouMean(kind, known)}; kinds are ${[...known].join(', ')}`, 'key');
    else if (!atVersion.has(kind)) src.add(at, `APIM ${versionText} ${shipped(atVersion)}: remove ${kind}`, 'key');
    else distributions[kind] = ref(at, a, needed.has(kind));
  }
  for (const [kind, users] of needed) {
    if (!w.apim.distributions[kind]) src.add(['apim', 'distributions'], `APIM ${versionText} needs the ${kind} distribution for ${users.join(', ')}: add ${kind}: { path: ... }`, 'key');
  }
  const jdk = w.apim.jdk;
  const apim = {
    version: versionText,
    distributions,
    jdk: { ...ref(['apim', 'jdk'], jdk), version: jdk.version },
    jdbcDriver: w.apim.jdbc_driver ? ref(['apim', 'jdbc_driver'], w.apim.jdbc_driver) : undefined,
  };
  return { apim, needed };
}

/** Distribution → the roles in use that run it at this version. */
function neededPacks(check: ArtifactCheck, src: YamlSource): Map<DistributionKind, RoleName[]> {
  const out = new Map<DistributionKind, RoleName[]>();
  for (const role of check.rolesInUse) {
    const def = check.catalog[role];
    if (!isWso2Role(def)) continue;
    const kind = distributionOf(def, check.version!);
    if (kind === undefined) src.add(['apim', 'version'], `role ${role} has no start variant for APIM ${check.version} in roles/${role}/role.yaml`);
    else out.set(kind, [...(out.get(kind) ?? []), role]);
  }
  return out;
}

function shipped(kinds: ReadonlySet<DistributionKind>): string {
  const list = [...kinds];
  return list.length === 1 ? `ships one ${list[0]} pack (profiles pick the component)` : `ships only the ${list.join(', ')} packs`;
}
