import { parse } from 'dotenv';
import { ConfigError, type ConfigIssue } from '../errors.js';
import { readBounded, utf8Text } from '../files/bounded-read.js';

/** A dotenv file read for secrets. `values` is undefined when the file does not exist. Never touches process.env. */
export interface DotenvFile {
  /** As shown to the user. */
  readonly display: string;
  readonly values: ReadonlyMap<string, string> | undefined;
  /** Lines dotenv would read differently than they look (never quoting a value). */
  readonly warnings: readonly ConfigIssue[];
  /** Lines dotenv would silently drop. */
  readonly issues: readonly ConfigIssue[];
}

/** A secrets file is a few hundred bytes; anything past this is not one. */
export const MAX_DOTENV_BYTES = 1024 * 1024;

/** Names dotenv drops without a word (they reach Object.prototype machinery). */
const DROPPED_NAMES = new Set(['__proto__']);
/** A `NAME=value` line as dotenv reads it (dotenv's own line shape, simplified to what the checks need). */
const LINE = /^\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(.*)$/;

/**
 * Reads a dotenv file of secrets: a regular file of at most MAX_DOTENV_BYTES (a directory, FIFO or /dev/zero is a
 * ConfigError, never a hang). An absent file is not an error here: references to it are (src/secrets/references.ts).
 */
export function readDotenv(path: string, display: string = path): DotenvFile {
  const read = readBounded(path, MAX_DOTENV_BYTES);
  if (!read.ok && read.reason === 'missing') return { display, values: undefined, warnings: [], issues: [] };
  if (!read.ok) throw new ConfigError(`dotenv file ${display} ${read.message}`, [], 'pass a dotenv file of NAME=value lines with --env-file');
  const text = utf8Text(read.bytes);
  if (text === undefined) throw new ConfigError(`dotenv file ${display} is not UTF-8 text`, [], 'pass a dotenv file of NAME=value lines with --env-file');
  const { warnings, issues } = lint(text, display);
  return { display, values: new Map(Object.entries(parse(text))), warnings, issues };
}

/** Never quotes a value: a warning names the line and the variable only. */
function lint(text: string, file: string): { warnings: ConfigIssue[]; issues: ConfigIssue[] } {
  const warnings: ConfigIssue[] = [];
  const issues: ConfigIssue[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const m = LINE.exec(line);
    if (!m) return;
    const [, name, rest] = m as unknown as [string, string, string];
    const at = { file, line: i + 1, col: 1, path: name };
    if (DROPPED_NAMES.has(name)) issues.push({ ...at, message: `'${name}' is a name dotenv drops without a word: rename it` });
    const value = rest.trimStart();
    if (!/^['"`]/.test(value) && value.includes('#')) {
      warnings.push({ ...at, message: 'an unquoted "#" starts a comment: the value ends before it. Quote the value (\'...\' or "...") if "#" belongs to it' });
    }
  });
  return { warnings, issues };
}

/** The default dotenv file of an inventory: `lab.yaml` → `lab.env`. */
export function defaultEnvFile(inventoryFile: string): string {
  return /\.ya?ml$/.test(inventoryFile) ? inventoryFile.replace(/\.ya?ml$/, '.env') : `${inventoryFile}.env`;
}
