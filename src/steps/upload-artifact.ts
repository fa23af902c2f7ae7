import { RemoteError } from '../errors.js';
import { remoteSha256, sha256Command, shortSha } from './remote-facts.js';
import { onDisk } from './no-space.js';
import type { StepKind } from './step-kind.js';

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * Streams a distribution or JDK from the controller, unless the host already holds the same bytes
 * (decided at run time: a re-run after an interrupted upload resumes cheaply). Verified after upload.
 */
export const uploadArtifact: StepKind<'upload-artifact'> = {
  kind: 'upload-artifact',
  mutates: true,
  describe: (s) => `upload ${s.localPath} to ${s.path} (${mb(s.size)})`,
  commands: (s) => [sha256Command(s.path)],
  preview: (s) => [
    `${sha256Command(s.path).argv.join(' ')}  # skip when it is ${shortSha(s.sha256)}`,
    `put-file ${s.localPath} ${s.path} mode=${s.mode ?? '0644'}${s.owner ? ` owner=${s.owner}` : ''}`,
    `${sha256Command(s.path).argv.join(' ')}  # must be ${shortSha(s.sha256)}`,
  ],
  async apply(s, ctx) {
    if ((await remoteSha256(ctx.transport, s.path, ctx.signal)) === s.sha256) {
      return { status: 'unchanged', reason: `already uploaded (sha256 ${shortSha(s.sha256)})` };
    }
    await onDisk(ctx.transport, s.path, s.size, () => ctx.transport.putFile(s.localPath, s.path, { mode: s.mode ?? '0644', owner: s.owner }), ctx.signal);
    const landed = await remoteSha256(ctx.transport, s.path, ctx.signal);
    if (landed !== s.sha256) {
      throw new RemoteError(
        ctx.transport.host,
        `upload of ${s.path} is corrupt: sha256 ${shortSha(landed)}, expected ${shortSha(s.sha256)}`,
        '',
        'check free disk space on the host, then re-run',
      );
    }
    return { status: 'changed', reason: s.reason };
  },
};
