/**
 * Bundles the systemd stand-in (main.ts, node built-ins only) into one executable CommonJS file with a node
 * shebang, which each `--init systemd` host bind-mounts over its /usr/bin/systemctl and /usr/bin/journalctl.
 */
import { join } from 'node:path';
import { bundleCjs } from '../cjs-bundle.js';
import { PROJECT_ROOT } from '../dist/sim-sources.js';

export function bundleSystemdStandIn(): Promise<Buffer> {
  return bundleCjs({ entry: join(PROJECT_ROOT, 'src', 'lab', 'systemd', 'main.ts'), banner: '#!/usr/bin/node' });
}
