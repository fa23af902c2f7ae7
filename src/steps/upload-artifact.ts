import { RemoteError } from '../errors.js';
import type { StepOf } from '../model/plan.js';
import type { Transport } from '../transport/transport.js';
import { exitMeaning } from './exec.js';
import { onDisk } from './no-space.js';
import { shortSha, verifyAndStampCommand, verifyDisplay } from './remote-facts.js';
import type { StepKind } from './step-kind.js';

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * Hashes the file on the host (null when absent) and, when it is the expected one, stamps it
 * (model/sha256-stamp.ts).
 */
export async function verifyAndStamp(transport: Transport, path: string, expected: string, signal?: AbortSignal): Promise<string | null> {
  const r = await transport.exec(verifyAndStampCommand(path, expected), signal);
  if (r.exitCode === 0 && r.stdout.trim() === 'absent') return null;
  const landed = /^([0-9a-f]{64})$/m.exec(r.stdout)?.[1];
  if (r.exitCode !== 0 || !landed) throw new RemoteError(transport.host, `cannot hash ${path} (${exitMeaning(r.exitCode, r.signal)})`, r.stderr.trim());
  return landed;
}

/**
 * Whether the host holds the artifact already (a re-run after an interrupted upload resumes cheaply). Not asked when
 * the plan found no file there: one sudo command fewer per upload on a fresh host.
 */
export const alreadyThere = async (s: Pick<StepOf<'upload-artifact'>, 'path' | 'sha256' | 'absentWhenPlanned'>, transport: Transport, signal?: AbortSignal): Promise<boolean> =>
  !s.absentWhenPlanned && (await verifyAndStamp(transport, s.path, s.sha256, signal)) === s.sha256;

/**
 * Streams a distribution or JDK from the controller, unless the host already holds the same bytes
 * (decided at run time: a re-run after an interrupted upload resumes cheaply). Verified after upload, then stamped
 * so later runs need not hash it again.
 */
export const uploadArtifact: StepKind<'upload-artifact'> = {
  kind: 'upload-artifact',
  mutates: true,
  describe: (s) => `upload ${s.localPath} to ${s.path} (${mb(s.size)})`,
  // The transfer and its two checks are what the preview shows; apply sends no other command.
  commands: () => [],
  preview: (s) => [
    ...(s.absentWhenPlanned ? [] : [`${verifyDisplay(s.path)}  # skip when it is ${shortSha(s.sha256)}`]),
    `put-file ${s.localPath} ${s.path} mode=${s.mode ?? '0644'}${s.owner ? ` owner=${s.owner}` : ''}`,
    `${verifyDisplay(s.path)}  # must be ${shortSha(s.sha256)}, then stamped`,
  ],
  async apply(s, ctx) {
    if (await alreadyThere(s, ctx.transport, ctx.signal)) return { status: 'unchanged', reason: `already uploaded (sha256 ${shortSha(s.sha256)})` };
    // The stamp beside the archive is a write too: a disk that fills just after the upload fails it, and says so.
    const landed = await onDisk(ctx.transport, s.path, s.size, async () => {
      await ctx.transport.putFile(s.localPath, s.path, { mode: s.mode ?? '0644', owner: s.owner });
      return verifyAndStamp(ctx.transport, s.path, s.sha256, ctx.signal);
    }, ctx.signal);
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
