import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { ConfigIssue } from '../errors.js';

/** A parsed YAML file that can turn a data path into `file:line:col` for messages. */
export interface PositionedYaml {
  readonly file: string;
  readonly doc: Document.Parsed;
  readonly data: unknown;
  /** Syntax errors, already positioned. */
  readonly syntaxIssues: readonly ConfigIssue[];
  issueAt(path: readonly PropertyKey[], message: string): ConfigIssue;
}

export function dottedPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => {
    if (typeof key === 'number') return `${acc}[${key}]`;
    return acc ? `${acc}.${String(key)}` : String(key);
  }, '');
}

export function parsePositionedYaml(file: string, text: string): PositionedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number) => lineCounter.linePos(offset);
  const syntaxIssues = doc.errors.map((e) => {
    const pos = at(e.pos[0]);
    return { file, line: pos.line, col: pos.col, path: '', message: e.message.split('\n')[0] ?? e.message };
  });
  const issueAt = (path: readonly PropertyKey[], message: string): ConfigIssue => {
    // The deepest node that exists: a missing key is reported at its parent mapping.
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n) as unknown[], true);
      if (isNode(node) && node.range) {
        const pos = at(node.range[0]);
        return { file, line: pos.line, col: pos.col, path: dottedPath(path), message };
      }
    }
    return { file, line: 1, col: 1, path: dottedPath(path), message };
  };
  return { file, doc, data: syntaxIssues.length ? undefined : doc.toJS(), syntaxIssues, issueAt };
}
