/**
 * A tier's temp root (vitest globalSetup): the directory its test processes see as os.tmpdir() (the project's
 * `env.TMPDIR`, see vitest.config.ts), made when the tier starts and removed with all it holds when the run ends. A test
 * that forgets its clean-up, or fails before reaching it, leaves nothing in the machine's /tmp: the unit tier made
 * about 700 directories there per CI run, on a machine others share.
 */
import { mkdirSync, rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';

export default function setup(project: TestProject): () => void {
  const root = project.config.env['TMPDIR'];
  if (!root) throw new Error(`project ${project.name}: test/support/temp-root.ts needs env.TMPDIR in its config`);
  // Not recursive: a directory of that name someone else made is never adopted (nor, at the end, removed).
  mkdirSync(root, { mode: 0o700 });
  return () => rmSync(root, { recursive: true, force: true });
}
