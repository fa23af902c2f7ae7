import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import type { ConfigIssue } from '../errors.js';
import type { SourcePos } from '../model/inventory.js';

/** A path inside a YAML document: map keys and sequence indexes. */
export type DocPath = readonly (string | number)[];

/** `roles.gateway[1]`, `hosts.gw-1.address`. */
export function dottedPath(path: DocPath): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${seg}` : seg;
  return out;
}

/**
 * A parsed YAML file that remembers where every value came from, and collects issues against it.
 * Issues are collected, never thrown one by one: the loader reports them all at once.
 */
export class YamlSource {
  readonly issues: ConfigIssue[] = [];
  readonly doc: Document;
  readonly #lines = new LineCounter();

  constructor(
    /** As shown to the user (relative when the user gave it relative). */
    readonly displayFile: string,
    text: string,
  ) {
    this.doc = parseDocument(text, { lineCounter: this.#lines, prettyErrors: false, uniqueKeys: true });
    // After the first syntax error the parser reports cascades of follow-on errors: keep only the first.
    let syntaxReported = false;
    for (const err of this.doc.errors) {
      if (err.code !== 'DUPLICATE_KEY' && syntaxReported) continue;
      const at = this.#lines.linePos(err.pos[0]);
      const key = (/^[^:\n]*/.exec(text.slice(err.pos[0]))?.[0] ?? '').trim();
      const message =
        err.code === 'DUPLICATE_KEY'
          ? `key '${key}' is already defined above in the same mapping; each name may appear once (rename or merge the two)`
          : `YAML syntax: ${firstLine(err.message)}; quote values that contain { } [ ] , # or ": " (e.g. path: "dist/wso2am-{version}.zip")`;
      syntaxReported ||= err.code !== 'DUPLICATE_KEY';
      this.issues.push({ file: displayFile, line: at.line, col: at.col, path: '', message });
    }
  }

  /** The plain JS value of the document (the last one wins for duplicate keys, which are reported already). */
  toJS(): unknown {
    return this.doc.toJS({ maxAliasCount: 100 });
  }

  /** Position of the value at `path`, or of its key when `at` is 'key'; falls back to the deepest existing parent. */
  pos(path: DocPath, at: 'value' | 'key' = 'value'): SourcePos {
    let node: unknown = this.doc.contents;
    let best = 0;
    for (const [i, seg] of path.entries()) {
      let next: unknown;
      let keyNode: unknown;
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
        next = pair?.value;
        keyNode = pair?.key;
      } else if (isSeq(node) && typeof seg === 'number') {
        next = node.items[seg];
      }
      if (next === undefined && keyNode === undefined) break;
      const target = i === path.length - 1 && at === 'key' && keyNode ? keyNode : (next ?? keyNode);
      const offset = rangeStart(target);
      if (offset !== undefined) best = offset;
      node = next;
    }
    const lp = this.#lines.linePos(best);
    return { file: this.displayFile, line: lp.line, col: lp.col };
  }

  /** True when an issue was already recorded at `path` or below it (so a rule does not repeat it as "missing"). */
  hasIssueUnder(path: DocPath): boolean {
    const prefix = dottedPath(path);
    return this.issues.some((i) => i.path === prefix || i.path.startsWith(`${prefix}.`) || i.path.startsWith(`${prefix}[`));
  }

  add(path: DocPath, message: string, at: 'value' | 'key' = 'value'): void {
    const p = this.pos(path, at);
    this.issues.push({ file: p.file, line: p.line, col: p.col, path: dottedPath(path), message });
  }
}

function rangeStart(n: unknown): number | undefined {
  const range = (n as Node | undefined)?.range;
  return range ? range[0] : undefined;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '');
}
