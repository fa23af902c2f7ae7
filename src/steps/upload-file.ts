import { DriftError, InternalError, PlaceDriftError } from '../errors.js';
import type { StepOf } from '../model/plan.js';
import { remoteSha256, sha256Command, shortSha } from './remote-facts.js';
import type { StepKind } from './step-kind.js';

/** Pushes a rendered file (temp name, then rename: the transport's put is atomic). */
export const uploadFile: StepKind<'upload-file'> = {
  kind: 'upload-file',
  mutates: true,
  describe: (s) =>
    `${s.expectSha256 === null ? 'create' : 'update'} ${s.path} (${s.mode}, ${s.owner}${s.secret ? ', holds secrets' : ''})`,
  commands: () => [],
  preview: (s) => [
    `# re-check: ${sha256Command(s.path).argv.join(' ')} is ${shortSha(s.expectSha256)}`,
    `put ${s.path} mode=${s.mode} owner=${s.owner} sha256=${shortSha(s.sha256)}`,
  ],
  // Where the transport can check in the command that places the file (guardedPut), the re-check goes there.
  async precondition(s, transport) {
    if (transport.guardedPut) return null;
    const actual = await remoteSha256(transport, s.path);
    return actual === s.expectSha256 || actual === s.sha256 ? null : driftMessage(s, actual);
  },
  async apply(s, ctx) {
    const file = ctx.contents.get(s.sha256);
    if (!file) throw new InternalError(`no rendered content for ${s.path} (sha256 ${s.sha256}) was handed to the executor`);
    const opts = { mode: s.mode, owner: s.owner };
    if (!ctx.transport.guardedPut) {
      await ctx.transport.put(file.content, s.path, opts);
      return { status: 'changed', reason: s.reason };
    }
    try {
      await ctx.transport.guardedPut(file.content, s.path, opts, [s.expectSha256, s.sha256]);
    } catch (err) {
      if (err instanceof PlaceDriftError) throw new DriftError(s.host, driftMessage(s, err.found));
      throw err;
    }
    return { status: 'changed', reason: s.reason };
  },
};

function driftMessage(s: StepOf<'upload-file'>, actual: string | null): string {
  // A secret-bearing file's hash would let a reader test password guesses: say only that it changed.
  if (s.secret) return `host changed since plan: ${s.path} ${actual === null ? 'is gone' : 'has other content'}; re-run plan`;
  return `host changed since plan: ${s.path} sha256 is ${shortSha(actual)}, plan expected ${shortSha(s.expectSha256)}; re-run plan`;
}
