/**
 * One esbuild call for the single-file CommonJS programs the lab puts on its hosts (the emulator, the systemd
 * stand-in): node built-ins plus what they import, built once per process and rebuilt after a failure.
 */
import { build } from 'esbuild';
import { relative } from 'node:path';
import { PROJECT_ROOT } from './dist/sim-sources.js';

export interface CjsBundle {
  /** Absolute path of the entry point. */
  readonly entry: string;
  readonly banner?: string;
  readonly external?: readonly string[];
}

const cache = new Map<string, Promise<Buffer>>();

export function bundleCjs(spec: CjsBundle): Promise<Buffer> {
  let built = cache.get(spec.entry);
  if (built) return built;
  built = build({
    entryPoints: [spec.entry],
    absWorkingDir: PROJECT_ROOT, // paths in the bundle's comments stay relative, so the bytes do not depend on cwd
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    ...(spec.banner ? { banner: { js: spec.banner } } : {}),
    ...(spec.external ? { external: [...spec.external] } : {}),
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  }).then((result) => {
    const out = result.outputFiles[0];
    if (!out) throw new Error(`esbuild produced no output for ${relative(PROJECT_ROOT, spec.entry)}`);
    return Buffer.from(out.contents);
  });
  cache.set(spec.entry, built);
  built.catch(() => cache.delete(spec.entry)); // let the next build retry after a failure
  return built;
}
