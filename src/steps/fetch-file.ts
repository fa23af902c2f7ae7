import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { RemoteError } from '../errors.js';
import { remoteSha256, sha256Command, shortSha } from './remote-facts.js';
import type { StepKind } from './step-kind.js';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Copies a file from the host to the controller (a migration's database backups), unless the controller already
 * holds the same bytes. Written beside its destination, then renamed; the copy is checked against the host's sha256.
 */
export const fetchFile: StepKind<'fetch-file'> = {
  kind: 'fetch-file',
  // It changes the controller, not the host: nothing on the host to re-check first.
  mutates: false,
  describe: (s) => `copy ${s.host}:${s.path} to the controller (${s.localPath})`,
  commands: (s) => [sha256Command(s.path)],
  preview: (s) => [`get-file ${s.path} ${s.localPath}  # skip when the controller holds the same sha256`],
  async apply(s, ctx) {
    const remote = await remoteSha256(ctx.transport, s.path, ctx.signal);
    if (remote === null) throw new RemoteError(ctx.transport.host, `${s.path} is absent: nothing to copy`, '');
    if (existsSync(s.localPath) && sha256(readFileSync(s.localPath)) === remote) {
      return { status: 'unchanged', reason: `the controller holds it already (sha256 ${shortSha(remote)})` };
    }
    const bytes = await ctx.transport.read(s.path);
    if (bytes === undefined || sha256(bytes) !== remote) {
      throw new RemoteError(ctx.transport.host, `copy of ${s.path} does not match its sha256 ${shortSha(remote)} on the host`, '', 'is something still writing it? re-run');
    }
    mkdirSync(dirname(s.localPath), { recursive: true, mode: 0o700 });
    const temp = `${s.localPath}.part`;
    writeFileSync(temp, bytes, { mode: 0o600 });
    renameSync(temp, s.localPath);
    return { status: 'changed', reason: s.reason };
  },
};
