import { InternalError } from '../errors.js';
import type { RenderedNode } from '../render/render-inventory.js';
import { dropInDest } from '../topology/drop-in-dest.js';
import { fileInRelease } from '../topology/layout.js';
import type { DesiredArtifact, DesiredRelease } from './desired-state.js';
import type { DesiredInputs } from './inputs.js';

/** A WSO2 node's verbatim drop-ins (`files:`), copied byte for byte into the release (or data dir, or absolute path). */
export function verbatimDropIns(inputs: DesiredInputs, rendered: RenderedNode, release: DesiredRelease): DesiredArtifact[] {
  const { vars } = rendered.context;
  return vars.files.filter((f) => !f.template).map((f) => {
    const artifact = inputs.dropIns?.get(f.src);
    if (!artifact) throw new InternalError(`${rendered.host}/${rendered.role}: drop-in ${f.src} was not hashed`);
    return { artifact, path: fileInRelease({ dest: dropInDest(f, rendered.context) }, release.dir), mode: f.mode, owner: f.owner ?? `${vars.service_user}:${vars.service_group}` };
  });
}
