/**
 * Bundles the emulator (sim/component/main.ts with smol-toml and pg) into one CommonJS file, so a host needs only
 * `node`. `.cjs` keeps it CommonJS even when unpacked under a package.json that says "type": "module".
 */
import { build } from 'esbuild';
import { join } from 'node:path';
import { PROJECT_ROOT, SIM_ROOT } from './sim-sources.js';

let cached: Promise<Buffer> | undefined;

export function bundleEmulator(): Promise<Buffer> {
  cached ??= build({
    entryPoints: [join(SIM_ROOT, 'component', 'main.ts')],
    absWorkingDir: PROJECT_ROOT, // paths in the bundle's comments stay relative, so the bytes do not depend on cwd
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['pg-native'], // optional native driver of pg, never loaded by the pure-JS client
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  }).then((result) => {
    const out = result.outputFiles[0];
    if (!out) throw new Error('esbuild produced no output for sim/component/main.ts');
    return Buffer.from(out.contents);
  });
  cached.catch(() => {
    cached = undefined; // let the next build retry after a failure
  });
  return cached;
}
