import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { ConfigError } from '../../errors.js';
import type { LocalArtifact } from '../../planner/inputs.js';
import type { RenderedNode } from '../../render/render-inventory.js';
import { Sha256Cache } from './sha256-cache.js';

/**
 * Hashes every verbatim drop-in file (`files:` without `template: true`) the WSO2 nodes hold, once per run, from the
 * controller's cache when unchanged: they are pushed with the transport's put and checked by sha256 on the host, as
 * distributions are, so a 50 MB JAR is streamed, never held in memory or in the plan.
 */
export async function dropInArtifacts(rendered: readonly RenderedNode[], opts: { verify?: boolean; cache?: Sha256Cache } = {}): Promise<Map<string, LocalArtifact>> {
  const cache = opts.cache ?? new Sha256Cache();
  const paths = new Set(rendered.filter((r) => r.runtime.kind === 'wso2').flatMap((r) => r.context.vars.files.filter((f) => !f.template).map((f) => f.src)));
  const out = new Map<string, LocalArtifact>();
  await Promise.all([...paths].map(async (path) => {
    let size: number;
    try {
      size = statSync(path).size;
    } catch {
      throw new ConfigError(`files: ${path} not found`, [], 'it was there when the inventory was checked: put it back, then re-run');
    }
    const sha256 = await cache.hash(path, { verify: opts.verify ?? false });
    out.set(path, { key: 'drop-in', localPath: path, fileName: basename(path), format: 'file', sha256, size });
  }));
  cache.save();
  return out;
}
