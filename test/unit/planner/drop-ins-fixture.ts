/** The drop-ins fixture inventory (test/fixtures/inventories/drop-ins) as plan inputs: its verbatim files stubbed. */
import { basename, join } from 'node:path';
import { loadInventory } from '../../../src/inventory/load.js';
import type { LocalArtifact, PlanInputs } from '../../../src/planner/inputs.js';
import { fixturePki, REPO } from '../render/examples.js';
import { fakeArtifact, inventoryInputs } from './fixtures.js';

export const DROP_INS_DIR = join(REPO, 'test', 'fixtures', 'inventories', 'drop-ins');

/** Verbatim drop-ins keyed by their controller path; `content` changes a file's (stubbed) bytes. */
export function dropInArtifacts(inputs: PlanInputs, content: Readonly<Record<string, string>> = {}): Map<string, LocalArtifact> {
  const srcs = new Set(inputs.rendered.flatMap((r) => r.context.vars.files.filter((f) => !f.template).map((f) => f.src)));
  return new Map([...srcs].map((src) => [src, fakeArtifact('drop-in', basename(src), content[basename(src)] ?? basename(src))]));
}

export async function dropInsInputs(): Promise<PlanInputs> {
  const inv = await loadInventory(join(DROP_INS_DIR, 'drop-ins.yaml'), { envFile: join(DROP_INS_DIR, 'drop-ins.env'), requireArtifacts: false });
  const inputs = inventoryInputs({ ...inv, pki: fixturePki() }, { packDefaults: true });
  return { ...inputs, dropIns: dropInArtifacts(inputs) };
}
