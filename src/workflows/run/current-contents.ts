import { createHash } from 'node:crypto';
import type { FileContent, Step, StepOf } from '../../model/plan.js';
import type { Transport } from '../../transport/transport.js';
import type { RunContext } from './open-run.js';
import { entryFor, readEntry, zipEntries } from './zip.js';

const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/** Where today's content of a file comes from: its host, or the distribution a release is unpacked from. */
export type ContentSources = Pick<RunContext, 'transports' | 'rendered' | 'inputs'>;

/**
 * What each file an upload step (of a plan, or of one batch's window) would replace holds today, by sha256, so a
 * preview can diff it: read from the host (transport.read, read-only), or, for a release the plan unpacks, from the
 * distribution zip on the controller. A file whose bytes no longer match the step's expectation is left out (the
 * printer says it was not read).
 */
export async function currentContents(src: ContentSources, steps: readonly Step[]): Promise<Map<string, FileContent>> {
  const uploads = steps.filter((s): s is StepOf<'upload-file'> => s.kind === 'upload-file' && s.expectSha256 !== null);
  const out = new Map<string, FileContent>();
  const listings = new Map<string, Promise<string[]>>();
  const entriesOf = (zip: string) => listings.get(zip) ?? listings.set(zip, zipEntries(zip)).get(zip)!;
  await Promise.all(uploads.map(async (step) => {
    const text = (await fromHost(step, src.transports.get(step.host))) ?? (await fromDistribution(step, src, entriesOf));
    if (text !== undefined) out.set(step.expectSha256!, { sha256: step.expectSha256!, content: text, secret: step.secret });
  }));
  return out;
}

/** The run's contents plus today's content of every file the steps replace: what a preview diffs. */
export async function previewContents(src: ContentSources & Pick<RunContext, 'contents'>, steps: readonly Step[]): Promise<Map<string, FileContent>> {
  const contents = new Map(src.contents);
  for (const [sha, file] of await currentContents(src, steps)) if (!contents.has(sha)) contents.set(sha, file);
  return contents;
}

async function fromHost(step: StepOf<'upload-file'>, transport: Transport | undefined): Promise<string | undefined> {
  const bytes = await transport?.read(step.path);
  if (!bytes || sha256(bytes) !== step.expectSha256) return undefined;
  return Buffer.from(bytes).toString('utf8');
}

/** The distribution's own copy of a file, for a release that is not unpacked yet. */
async function fromDistribution(step: StepOf<'upload-file'>, src: ContentSources, entriesOf: (zip: string) => Promise<string[]>): Promise<string | undefined> {
  const node = src.rendered.find((r) => r.node.host === step.node?.host && r.node.role === step.node.role);
  const file = node?.files.find((f) => !f.dest.startsWith('/') && step.path.endsWith(`/${f.dest}`));
  const zip = node?.runtime.distribution ? src.inputs.artifacts[node.runtime.distribution] : undefined;
  if (!file || !zip || !zip.fileName.endsWith('.zip')) return undefined;
  const entry = entryFor(await entriesOf(zip.localPath), file.dest);
  if (!entry) return undefined;
  const bytes = await readEntry(zip.localPath, entry);
  return sha256(bytes) === step.expectSha256 ? bytes.toString('utf8') : undefined;
}
