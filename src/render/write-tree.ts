import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RenderedNode } from './render-inventory.js';

export interface TreeSummary {
  readonly files: number;
  readonly secretFiles: number;
  readonly perHost: readonly { readonly host: string; readonly roles: readonly string[]; readonly files: number }[];
}

/**
 * Write every rendered file to `<outDir>/<host>/<remote path>` with its mode as on the host (the operator's own
 * disk: secrets are written in place, so keep outDir private). Ownership is not applied (it needs root and
 * users that exist only on the hosts).
 */
export function writeRenderedTree(nodes: readonly RenderedNode[], outDir: string): TreeSummary {
  const perHost = new Map<string, { roles: string[]; files: number }>();
  let files = 0;
  let secretFiles = 0;
  for (const node of nodes) {
    const entry = perHost.get(node.host) ?? { roles: [], files: 0 };
    entry.roles.push(node.role);
    for (const f of node.files) {
      const target = join(outDir, node.host, f.path);
      mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
      writeFileSync(target, f.content, { mode: Number.parseInt(f.mode, 8) });
      chmodSync(target, Number.parseInt(f.mode, 8)); // writeFileSync keeps the mode of an existing file
      entry.files++;
      files++;
      if (f.secret) secretFiles++;
    }
    perHost.set(node.host, entry);
  }
  return { files, secretFiles, perHost: [...perHost].map(([host, e]) => ({ host, ...e })) };
}
