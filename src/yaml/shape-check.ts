import type { z } from 'zod';
import { didYouMean } from '../model/did-you-mean.js';
import { dottedPath, type DocPath, type YamlSource } from './source.js';
import { quoted } from './shown.js';

/** What a required key holds, by dotted path or by key name, for the "missing" message. */
export type KeyHints = Readonly<Record<string, string>>;

/**
 * Checks `data` against a zod schema and records each problem on `src` with its position,
 * in words an operator can act on. Returns the parsed value only when the shape is right.
 */
export function checkShape<T>(schema: z.ZodType<T>, data: unknown, src: YamlSource, hints: KeyHints = {}): T | undefined {
  // jitless: zod would otherwise compile a parser for each object shape (new Function) on its first use; a run checks
  // a handful of files, each once, so compiling costs more than it saves (validate: ~19% fewer instructions).
  const result = schema.safeParse(data, { reportInput: true, jitless: true });
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const allowed = allowedKeys(schema, path);
      for (const key of issue.keys) {
        const hint = didYouMean(key, allowed);
        src.add([...path, key], `unknown key ${quoted(key)}${hint}; allowed here: ${allowed.join(', ')}`, 'key');
      }
    } else if (issue.code === 'invalid_type' && issue.input === undefined) {
      const what = hints[dottedPath(path)] ?? hints[String(path.at(-1))];
      src.add(path, `required key '${String(path.at(-1))}' is missing${what ? `: add ${what}` : ''}`);
    } else if (issue.code === 'invalid_type') {
      src.add(path, `expected ${article(issue.expected)}, got ${describe(issue.input)}`);
    } else if (issue.code === 'invalid_value') {
      src.add(path, `must be one of ${issue.values.map(String).join(', ')}, got ${describe(issue.input)}`);
    } else if (issue.code === 'too_small' || issue.code === 'too_big') {
      const bound = issue.code === 'too_small' ? `at least ${String(issue.minimum)}` : `at most ${String(issue.maximum)}`;
      src.add(path, issue.origin === 'string' ? `must not be empty` : `must be ${bound}, got ${describe(issue.input)}`);
    } else if (issue.code === 'invalid_union') {
      src.add(path, `expected a string or a number, got ${describe(issue.input)}`);
    } else {
      src.add(path, issue.message);
    }
  }
  return undefined;
}

function article(expected: string): string {
  if (expected === 'int') return 'a whole number';
  if (expected === 'record' || expected === 'object') return 'a mapping (key: value)';
  if (expected === 'array') return 'a list like [a, b]';
  return `a ${expected}`;
}

/** A short, value-free-for-long-inputs description of what the YAML held. */
export function describe(input: unknown): string {
  if (input === null) return 'nothing (null)';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  if (typeof input === 'string') return input.length <= 40 ? `the string ${quoted(input)}` : 'a long string';
  if (typeof input === 'number' && !Number.isInteger(input)) return `the fraction ${input}`;
  return `the ${typeof input} ${String(input)}`;
}

/** The keys an object schema accepts at `path` (walking optional, record and array wrappers). */
function allowedKeys(schema: unknown, path: DocPath): string[] {
  let s = schema as ZodNode | undefined;
  const unwrap = (): void => {
    while (s?._zod.def.type === 'optional' || s?._zod.def.type === 'nullable') s = s._zod.def.innerType;
  };
  for (const seg of path) {
    unwrap();
    const def = s?._zod.def;
    if (def?.type === 'object') s = def.shape?.[String(seg)];
    else if (def?.type === 'record') s = def.valueType;
    else if (def?.type === 'array') s = def.element;
    else return [];
  }
  unwrap();
  return Object.keys(s?._zod.def.shape ?? {});
}

interface ZodNode {
  _zod: {
    def: {
      type: string;
      innerType?: ZodNode;
      shape?: Record<string, ZodNode>;
      valueType?: ZodNode;
      element?: ZodNode;
    };
  };
}
