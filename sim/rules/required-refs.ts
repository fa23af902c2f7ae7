/**
 * Keys a node cannot start without. The config mapper (configMapper: ReferenceResolver) resolves every `$ref{key}`
 * of the merged default.json before it writes a single file; a referenced key that neither deployment.toml nor any
 * default.json defines stops the server: ConfigParserException "Configuration with key <key> doesn't exist", caught
 * by Main.handleConfiguration ("Error while performing configuration changes", System.exit(1); kernelMain).
 * Each row: the key, where the reference sits, and the versions and packs whose default.json gives no default.
 */
import type { DataVersion, Pack } from './versions.js';
import type { SourceId } from './sources.js';

export interface RequiredRef {
  readonly key: string;
  readonly referencedBy: string;
  readonly versions: readonly DataVersion[];
  readonly packs: readonly Pack[];
  readonly sources: readonly SourceId[];
}

const ALL_PACKS: readonly Pack[] = ['all-in-one', 'control-plane', 'gateway', 'traffic-manager'];

export const REQUIRED_REFS: readonly RequiredRef[] = [
  {
    key: 'server.hostname',
    referencedBy: 'tasks.client_dispatch_address = "https://$ref{server.hostname}:9448"',
    versions: ['4.5', '4.6', '4.7'], packs: ALL_PACKS, sources: ['kernelDefault', 'packDefault46'],
  },
  {
    key: 'super_admin.username',
    referencedBy: 'apim.throttling.username = "$ref{super_admin.username}"',
    versions: ['4.5', '4.6', '4.7'], packs: ALL_PACKS, sources: ['coreDefault', 'kernelDefault'],
  },
  {
    key: 'super_admin.password',
    referencedBy: 'apim.throttling.password = "$ref{super_admin.password}"',
    versions: ['4.5', '4.6', '4.7'], packs: ALL_PACKS, sources: ['coreDefault', 'kernelDefault'],
  },
  // 4.5/4.6: no pack's default.json has shared_db url/username (only pool options); 4.7 added them for GW and TM.
  {
    key: 'database.shared_db.username',
    referencedBy: 'governance_data.cache_id = "$ref{database.shared_db.username}@$ref{database.shared_db.url}"',
    versions: ['4.5', '4.6'], packs: ALL_PACKS, sources: ['kernelDefault', 'packDefault45', 'packDefault46'],
  },
  {
    key: 'database.shared_db.url',
    referencedBy: 'governance_data.cache_id = "$ref{database.shared_db.username}@$ref{database.shared_db.url}"',
    versions: ['4.5', '4.6'], packs: ALL_PACKS, sources: ['kernelDefault', 'packDefault45', 'packDefault46'],
  },
  {
    key: 'database.shared_db.username',
    referencedBy: 'governance_data.cache_id = "$ref{database.shared_db.username}@$ref{database.shared_db.url}"',
    versions: ['4.7'], packs: ['all-in-one', 'control-plane'], sources: ['kernelDefault', 'packDefault47'],
  },
  {
    key: 'database.shared_db.url',
    referencedBy: 'governance_data.cache_id = "$ref{database.shared_db.username}@$ref{database.shared_db.url}"',
    versions: ['4.7'], packs: ['all-in-one', 'control-plane'], sources: ['kernelDefault', 'packDefault47'],
  },
];

export function requiredRefs(version: DataVersion | undefined, pack: Pack): RequiredRef[] {
  if (version === undefined) return [];
  return REQUIRED_REFS.filter((r) => r.versions.includes(version) && r.packs.includes(pack));
}
