import { diffLines, type Edit } from './line-diff.js';

const CONTEXT = 3;

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function range(start: number, count: number): string {
  // diff(1): an empty range names the line before it; a single line omits the count.
  if (count === 0) return `${start},0`;
  return count === 1 ? `${start + 1}` : `${start + 1},${count}`;
}

/** A unified diff (3 lines of context), or '' when the texts are equal. undefined old text means a new file. */
export function unifiedDiff(oldText: string | undefined, newText: string, path: string): string {
  const edits = diffLines(splitLines(oldText ?? ''), splitLines(newText));
  if (edits.every((e) => e.op === '=')) return '';
  const out = [oldText === undefined ? '--- /dev/null' : `--- a${path}`, `+++ b${path}`];
  // Positions of each edit in the old and new texts.
  const pos: { oldAt: number; newAt: number }[] = [];
  let o = 0;
  let n = 0;
  for (const e of edits) {
    pos.push({ oldAt: o, newAt: n });
    if (e.op !== '+') o++;
    if (e.op !== '-') n++;
  }
  const changed = edits.map((e, i) => (e.op === '=' ? -1 : i)).filter((i) => i >= 0);
  let h = 0;
  while (h < changed.length) {
    let last = h;
    while (last + 1 < changed.length && changed[last + 1]! - changed[last]! <= 2 * CONTEXT) last++;
    const from = Math.max(0, changed[h]! - CONTEXT);
    const to = Math.min(edits.length - 1, changed[last]! + CONTEXT);
    out.push(...hunk(edits.slice(from, to + 1), pos[from]!));
    h = last + 1;
  }
  return `${out.join('\n')}\n`;
}

function hunk(edits: readonly Edit[], at: { oldAt: number; newAt: number }): string[] {
  const oldCount = edits.filter((e) => e.op !== '+').length;
  const newCount = edits.filter((e) => e.op !== '-').length;
  const header = `@@ -${range(at.oldAt, oldCount)} +${range(at.newAt, newCount)} @@`;
  return [header, ...edits.map((e) => `${e.op === '=' ? ' ' : e.op}${e.line}`)];
}
