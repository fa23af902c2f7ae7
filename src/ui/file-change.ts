import type { FileContent, StepOf } from '../model/plan.js';
import { secretKeyChanges } from './secret-diff.js';
import { tomlKeyChanges } from './toml-changes.js';
import { unifiedDiff } from './unified-diff.js';

/** What an upload would change in a file: a unified diff, key-level changes, or why neither can be shown. */
export interface FileChange {
  /** Unified diff; absent for files holding secrets (never diffed in clear) and when a side is unknown. */
  readonly diff?: string;
  /** TOML: one line per changed key; secret files: keys only, values as ***. */
  readonly keyChanges?: readonly string[];
  readonly secret: boolean;
  /** Why no diff can be shown, when it cannot. */
  readonly note?: string;
}

const isToml = (path: string): boolean => path.endsWith('.toml');

export function fileChange(step: StepOf<'upload-file'>, contents: ReadonlyMap<string, FileContent>): FileChange {
  const next = contents.get(step.sha256);
  const previous = step.expectSha256 === null ? undefined : contents.get(step.expectSha256);
  const secret = step.secret || next?.secret === true || previous?.secret === true;
  if (!next) return { secret, note: 'rendered content not available' };
  if (step.expectSha256 !== null && !previous) return { secret, note: 'current content not read; no diff' };
  if (secret) {
    const keys = (previous && isToml(step.path) ? tomlKeyChanges(previous.content, next.content, { mask: true }) : null)
      ?? secretKeyChanges(previous?.content, next.content);
    return { secret, keyChanges: keys };
  }
  const keys = previous && isToml(step.path) ? tomlKeyChanges(previous.content, next.content, { mask: false }) : null;
  return { secret, diff: unifiedDiff(previous?.content, next.content, step.path), ...(keys ? { keyChanges: keys } : {}) };
}
