import type { DropInFile } from '../model/vars.js';
import type { NodeContext } from './types.js';

/**
 * Where a drop-in file (`files:`) lands on a node, written as role.yaml writes a dest: relative to the component
 * home for `dest_root: release` (so it goes into every release, and follows upgrades), absolute otherwise (the node's
 * persistent data dir, linked into each release, or the path as written).
 */
export function dropInDest(f: DropInFile, ctx: Pick<NodeContext, 'paths'>): string {
  return f.root === 'data' ? `${ctx.paths.dataDir}/${f.dest}` : f.dest;
}
