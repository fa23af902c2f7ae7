import { InternalError } from '../errors.js';
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
  async precondition(s, transport) {
    const actual = await remoteSha256(transport, s.path);
    if (actual === s.expectSha256 || actual === s.sha256) return null;
    // A secret-bearing file's hash would let a reader test password guesses: say only that it changed.
    if (s.secret) return `host changed since plan: ${s.path} ${actual === null ? 'is gone' : 'has other content'}; re-run plan`;
    return `host changed since plan: ${s.path} sha256 is ${shortSha(actual)}, plan expected ${shortSha(s.expectSha256)}; re-run plan`;
  },
  async apply(s, ctx) {
    const file = ctx.contents.get(s.sha256);
    if (!file) throw new InternalError(`no rendered content for ${s.path} (sha256 ${s.sha256}) was handed to the executor`);
    await ctx.transport.put(file.content, s.path, { mode: s.mode, owner: s.owner });
    return { status: 'changed', reason: s.reason };
  },
};
