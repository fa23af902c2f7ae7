/**
 * Bundles the emulator (sim/component/main.ts with smol-toml and pg) into one CommonJS file, so a host needs only
 * `node`. `.cjs` keeps it CommonJS even when unpacked under a package.json that says "type": "module".
 */
import { join } from 'node:path';
import { bundleCjs } from '../cjs-bundle.js';
import { SIM_ROOT } from './sim-sources.js';

export function bundleEmulator(): Promise<Buffer> {
  // pg-native: the optional native driver of pg, never loaded by the pure-JS client.
  return bundleCjs({ entry: join(SIM_ROOT, 'component', 'main.ts'), external: ['pg-native'] });
}
