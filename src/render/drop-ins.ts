import { createHash } from 'node:crypto';
import { basename, dirname, extname } from 'node:path';
import type { ResolvedRuntime } from '../catalog/runtime.js';
import type { FileFormat } from '../model/role.js';
import { dropInDest } from '../topology/drop-in-dest.js';
import { destPath } from '../topology/layout.js';
import type { NodeContext } from '../topology/types.js';
import { Renderer } from './engine.js';
import type { RenderedFile } from './render-inventory.js';

/** The escaping of a templated drop-in, from its name (without `.eta`): what `<%= %>` must be safe for. */
const FORMATS: Readonly<Record<string, FileFormat>> = { '.xml': 'xml', '.toml': 'toml', '.properties': 'properties', '.sh': 'shell', '.conf': 'conf' };
export const dropInFormat = (dest: string): FileFormat => FORMATS[extname(dest)] ?? 'text';


const renderers = new Map<string, Renderer>();

/**
 * A WSO2 node's templated drop-ins, rendered with the variables our own templates get; they then travel as rendered
 * files do (sha256 compare, masked diffs when a secret was written, restart on change). Verbatim ones are copied
 * as they are (planner/desired-state.ts); other nodes take none.
 */
export function renderDropIns(ctx: NodeContext, runtime: ResolvedRuntime): RenderedFile[] {
  if (runtime.kind !== 'wso2') return [];
  return ctx.vars.files.filter((f) => f.template).map((f): RenderedFile => {
    const dir = dirname(f.src);
    let renderer = renderers.get(dir);
    if (!renderer) renderers.set(dir, (renderer = new Renderer(dir)));
    const dest = dropInDest(f, ctx);
    const out = renderer.render(basename(f.src), dropInFormat(dest), { ...ctx, runtime, params: {} });
    const [user, group] = f.owner?.split(':') ?? [runtime.serviceUser, runtime.serviceGroup];
    return {
      path: destPath(runtime.home, dest), dest, template: f.src, content: out.content,
      sha256: createHash('sha256').update(out.content).digest('hex'),
      mode: f.mode, owner: user!, group: group ?? user!, secret: out.secret, onChange: 'restart',
    };
  });
}
