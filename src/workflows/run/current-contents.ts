import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import type { HostName } from '../../model/inventory.js';
import type { FileContent, Step, StepOf } from '../../model/plan.js';
import type { LocalArtifact } from '../../planner/inputs.js';
import type { RenderedNode } from '../../render/render-inventory.js';
import type { Transport } from '../../transport/transport.js';

const run = promisify(execFile);
const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

export interface CurrentContentSources {
  /** Steps of a plan (or of one batch's window): only its file uploads are read. */
  readonly steps: readonly Step[];
  readonly transports: ReadonlyMap<HostName, Transport>;
  readonly rendered: readonly RenderedNode[];
  readonly artifacts: Readonly<Partial<Record<string, LocalArtifact>>>;
}

/**
 * What each file an upload step would replace holds today, by sha256, so the dry run can diff it: read from the
 * host (transport.read, read-only), or, for a release this plan unpacks, from the distribution zip on the controller.
 * A file whose bytes no longer match the plan's expectation is left out (the printer says it was not read).
 */
export async function currentContents(src: CurrentContentSources): Promise<Map<string, FileContent>> {
  const uploads = src.steps.filter((s): s is StepOf<'upload-file'> => s.kind === 'upload-file' && s.expectSha256 !== null);
  const out = new Map<string, FileContent>();
  const listings = new Map<string, Promise<string[]>>();
  const entriesOf = (zip: string) => listings.get(zip) ?? listings.set(zip, zipEntries(zip)).get(zip)!;
  await Promise.all(uploads.map(async (step) => {
    const text = (await fromHost(step, src.transports.get(step.host))) ?? (await fromDistribution(step, src, entriesOf));
    if (text !== undefined) out.set(step.expectSha256!, { sha256: step.expectSha256!, content: text, secret: step.secret });
  }));
  return out;
}

async function fromHost(step: StepOf<'upload-file'>, transport: Transport | undefined): Promise<string | undefined> {
  const bytes = await transport?.read(step.path);
  if (!bytes || sha256(bytes) !== step.expectSha256) return undefined;
  return Buffer.from(bytes).toString('utf8');
}

async function zipEntries(zip: string): Promise<string[]> {
  return (await run('unzip', ['-Z1', zip], { maxBuffer: 64 * 1024 * 1024 })).stdout.split('\n').filter(Boolean);
}

/** The distribution's own copy of a file, for a release that is not unpacked yet. */
async function fromDistribution(step: StepOf<'upload-file'>, src: CurrentContentSources, entriesOf: (zip: string) => Promise<string[]>): Promise<string | undefined> {
  const node = src.rendered.find((r) => r.node.host === step.node?.host && r.node.role === step.node.role);
  const file = node?.files.find((f) => !f.dest.startsWith('/') && step.path.endsWith(`/${f.dest}`));
  const zip = node?.runtime.distribution ? src.artifacts[node.runtime.distribution] : undefined;
  if (!file || !zip || !zip.fileName.endsWith('.zip')) return undefined;
  const entry = (await entriesOf(zip.localPath)).find((e) => e.split('/').slice(1).join('/') === file.dest);
  if (!entry) return undefined;
  const { stdout } = await run('unzip', ['-p', zip.localPath, entry], { maxBuffer: 64 * 1024 * 1024, encoding: 'buffer' });
  return sha256(stdout) === step.expectSha256 ? stdout.toString('utf8') : undefined;
}
