/**
 * Bundles the systemd stand-in (main.ts, node built-ins only) into one executable CommonJS file with a node
 * shebang, which each `--init systemd` host bind-mounts over its /usr/bin/systemctl and /usr/bin/journalctl.
 */
import { build } from 'esbuild';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../dist/sim-sources.js';

let cached: Promise<Buffer> | undefined;

export function bundleSystemdStandIn(): Promise<Buffer> {
  cached ??= build({
    entryPoints: [join(PROJECT_ROOT, 'src', 'lab', 'systemd', 'main.ts')],
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    banner: { js: '#!/usr/bin/node' },
    legalComments: 'none',
    write: false,
    logLevel: 'silent',
  }).then((result) => {
    const out = result.outputFiles[0];
    if (!out) throw new Error('esbuild produced no output for src/lab/systemd/main.ts');
    return Buffer.from(out.contents);
  });
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}
