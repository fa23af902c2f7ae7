/** lib/wso2-sim.json: what the builder baked into this pack (product, version, fault switch). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Fault = 'none' | 'unhealthy' | 'crash';
export const FAULTS: readonly Fault[] = ['none', 'unhealthy', 'crash'];

export interface PackManifest {
  readonly product: string; // 'WSO2 API Manager', 'WSO2 Universal Gateway', ...
  readonly version: string;
  /** WSO2 Updates level the pack was built at (0: as released); the version stays the same. */
  readonly updateLevel: number;
  /** 4.0–4.4 packs take `-Dprofile=`; 4.5+ packs are one component each. */
  readonly profiles: boolean;
  readonly fault: Fault;
}

export const MANIFEST_FILE = 'wso2-sim.json';

export function readManifest(libDir: string): PackManifest {
  const parsed = JSON.parse(readFileSync(join(libDir, MANIFEST_FILE), 'utf8')) as Partial<PackManifest>;
  if (typeof parsed.product !== 'string' || typeof parsed.version !== 'string') {
    throw new Error(`${join(libDir, MANIFEST_FILE)} lacks product or version`);
  }
  const fault = FAULTS.includes(parsed.fault as Fault) ? (parsed.fault as Fault) : 'none';
  const updateLevel = typeof parsed.updateLevel === 'number' && Number.isInteger(parsed.updateLevel) ? parsed.updateLevel : 0;
  return { product: parsed.product, version: parsed.version, updateLevel, profiles: parsed.profiles === true, fault };
}
