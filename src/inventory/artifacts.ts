import { existsSync, statSync } from 'node:fs';
import type { ArtifactRef, DistributionKind, Inventory, RoleName } from '../model/inventory.js';
import { didYouMean } from './did-you-mean.js';
import { SHA256 } from './names.js';
import { resolveInventoryPath } from './paths.js';
import type { WrittenInventory } from './schema.js';
import type { DocPath, YamlSource } from './source.js';

const KINDS: readonly DistributionKind[] = ['all-in-one', 'acp', 'universal-gw', 'tm'];
/** 4.5+ ships one pack per component; the key manager is the ACP pack with the key-manager profile. */
const PACK_OF_ROLE: Partial<Record<RoleName, DistributionKind>> = {
  'all-in-one': 'all-in-one',
  'control-plane': 'acp',
  'key-manager': 'acp',
  'gateway': 'universal-gw',
  'traffic-manager': 'tm',
};

/** Minor versions apim-deploy knows how to configure (4.7 adds a mandatory [encryption] key: not yet). */
const SUPPORTED = { major: 4, minMinor: 0, maxMinor: 6 };

/** `4.6.0` → [4, 6, 0]; undefined (with an issue) when malformed or unsupported. */
export function checkVersion(version: string, src: YamlSource): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (!m) return void src.add(['apim', 'version'], `'${version}' is not a version: write it as MAJOR.MINOR.PATCH, like 4.6.0 (quoted if YAML reads it as a number)`);
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (major !== SUPPORTED.major || minor < SUPPORTED.minMinor || minor > SUPPORTED.maxMinor) {
    return void src.add(['apim', 'version'], `APIM ${version} is not supported: apim-deploy installs 4.0.0 to 4.${SUPPORTED.maxMinor}.x`);
  }
  return [major, minor, patch];
}

/** The distributions the roles in use need, resolved and (when asked) checked on disk. */
export function checkArtifacts(w: WrittenInventory, file: string, version: [number, number, number] | undefined, rolesInUse: ReadonlySet<RoleName>, src: YamlSource, requireFiles: boolean): Inventory['apim'] {
  const versionText = w.apim.version;
  const needed = version ? neededPacks(version, rolesInUse) : new Set<DistributionKind>();
  const ref = (at: DocPath, a: { path: string; sha256?: string }, used = true): ArtifactRef => {
    const path = resolveInventoryPath(file, a.path.replaceAll('{version}', versionText));
    if (a.sha256 !== undefined && !SHA256.test(a.sha256)) src.add([...at, 'sha256'], `sha256 must be ${SHA256.expected}`);
    // A listed pack no role uses is never pushed, so its absence does not matter.
    if (requireFiles && used && (!existsSync(path) || !statSync(path).isFile())) {
      src.add([...at, 'path'], `file not found: ${path} (paths are relative to the inventory file; fetch it, e.g. apim-deploy lab dist --version ${versionText})`);
    }
    return { path, sha256: a.sha256?.toLowerCase(), pos: src.pos([...at, 'path']) };
  };
  const distributions: Partial<Record<DistributionKind, ArtifactRef>> = {};
  for (const [kind, a] of Object.entries(w.apim.distributions)) {
    const at = ['apim', 'distributions', kind];
    if (!(KINDS as readonly string[]).includes(kind)) src.add(at, `unknown distribution '${kind}'${didYouMean(kind, KINDS)}; kinds are ${KINDS.join(', ')}`, 'key');
    else distributions[kind as DistributionKind] = ref(at, a, needed.has(kind as DistributionKind));
  }
  if (version) checkNeededPacks(version, distributions, needed, rolesInUse, src, versionText);
  const jdk = w.apim.jdk;
  return {
    version: versionText,
    distributions,
    jdk: { ...ref(['apim', 'jdk'], jdk), version: jdk.version },
    jdbcDriver: w.apim.jdbc_driver ? ref(['apim', 'jdbc_driver'], w.apim.jdbc_driver) : undefined,
  };
}

/** 4.0–4.4: the all-in-one pack for every WSO2 role; 4.5+: one pack per component. */
function packFor(version: [number, number, number], role: RoleName): DistributionKind | undefined {
  return version[1] >= 5 ? PACK_OF_ROLE[role] : PACK_OF_ROLE[role] && 'all-in-one';
}

function neededPacks(version: [number, number, number], roles: ReadonlySet<RoleName>): Set<DistributionKind> {
  return new Set([...roles].map((r) => packFor(version, r)).filter((k): k is DistributionKind => k !== undefined));
}

function checkNeededPacks(version: [number, number, number], have: Partial<Record<DistributionKind, ArtifactRef>>, needed: ReadonlySet<DistributionKind>, roles: ReadonlySet<RoleName>, src: YamlSource, text: string): void {
  const split = version[1] >= 5;
  for (const kind of needed) {
    if (!have[kind]) {
      const users = [...roles].filter((r) => packFor(version, r) === kind);
      src.add(['apim', 'distributions'], `APIM ${text} needs the ${kind} distribution for ${users.join(', ')}: add ${kind}: { path: ... }`, 'key');
    }
  }
  if (!split) {
    for (const kind of Object.keys(have)) {
      if (kind !== 'all-in-one') src.add(['apim', 'distributions', kind], `APIM ${text} ships one all-in-one pack (profiles pick the component): remove ${kind}`, 'key');
    }
  }
}
