import { LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, visit, type Document, type Node } from 'yaml';
import type { ConfigIssue } from '../errors.js';
import type { SourcePos } from '../model/inventory.js';
import { shownText } from './shown.js';

/** How many nodes aliases may expand to when the document becomes plain data (yaml's own resource limit). */
export const MAX_ALIAS_COUNT = 100;
/** Keys that would reach an object's prototype machinery in plain JS data: refused wherever they appear. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
/** Messages are one line and short; a longer one is cut (a guard: values in messages are cut by shownText). */
const MAX_MESSAGE = 2000;

/** A path inside a YAML document: map keys and sequence indexes. */
export type DocPath = readonly (string | number)[];

/** `roles.gateway[1]`, `hosts.gw-1.address`. */
export function dottedPath(path: DocPath): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${shownText(seg)}` : shownText(seg);
  return out;
}

/**
 * A parsed YAML file that remembers where every value came from, and collects issues against it.
 * Issues are collected, never thrown one by one: the loader reports them all at once.
 */
export class YamlSource {
  readonly issues: ConfigIssue[] = [];
  readonly doc: Document;
  /** How many reserved keys (RESERVED_KEYS) the document has; each is an issue already. */
  reservedKeys = 0;
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
          ? `key '${shownText(key)}' is already defined above in the same mapping; each name may appear once (rename or merge the two)`
          : `YAML syntax: ${firstLine(err.message)}; quote values that contain { } [ ] , # or ": " (e.g. path: "dist/wso2am-{version}.zip")`;
      syntaxReported ||= err.code !== 'DUPLICATE_KEY';
      this.issues.push({ file: displayFile, line: at.line, col: at.col, path: '', message });
    }
    this.#reservedKeys();
  }

  /** `__proto__` and friends would be dropped or reach the prototype on the way to plain data: say where they are. */
  #reservedKeys(): void {
    visit(this.doc, {
      Pair: (_key, pair) => {
        if (!isScalar(pair.key) || !RESERVED_KEYS.has(String(pair.key.value))) return;
        this.reservedKeys++;
        const at = this.#lines.linePos(pair.key.range?.[0] ?? 0);
        this.issues.push({ file: this.displayFile, line: at.line, col: at.col, path: '', message: `key '${String(pair.key.value)}' is reserved (it would be dropped or change how the data behaves): rename it` });
      },
    });
  }

  /**
   * The plain JS value of the document (the last one wins for duplicate keys, which are reported already), or
   * undefined with an issue at the first alias when aliases expand past MAX_ALIAS_COUNT (a "billion laughs" file).
   */
  toJS(): unknown {
    try {
      return this.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    } catch (err) {
      if (!(err instanceof ReferenceError)) throw err;
      let first: Node | undefined;
      visit(this.doc, { Alias: (_key, node) => { first ??= node as Node; return visit.BREAK; } });
      const at = this.#lines.linePos(first?.range?.[0] ?? 0);
      this.issues.push({ file: this.displayFile, line: at.line, col: at.col, path: '', message: `YAML aliases here expand past ${MAX_ALIAS_COUNT} copies (${err.message.toLowerCase()}): write the values out, or use fewer nested aliases` });
      return undefined;
    }
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
    const text = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message;
    this.issues.push({ file: p.file, line: p.line, col: p.col, path: dottedPath(path), message: text });
  }
}

function rangeStart(n: unknown): number | undefined {
  const range = (n as Node | undefined)?.range;
  return range ? range[0] : undefined;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '');
}
