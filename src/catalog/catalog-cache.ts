/**
 * What the cached role and pattern catalogs are keyed on besides their own YAML: the code that parses and checks
 * them (a changed schema must not be answered from a cache written by the old one), the package version and the
 * installed dependencies (zod, yaml).
 */
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = resolve(SRC, '..');

const filesIn = (dir: string): string[] => {
  try {
    return readdirSync(dir).sort().map((f) => join(dir, f));
  } catch {
    return [];
  }
};

export function catalogCodeFiles(): string[] {
  return [
    ...['catalog', 'model', 'yaml'].flatMap((d) => filesIn(join(SRC, d))),
    join(ROOT, 'package.json'),
    join(ROOT, 'node_modules', '.package-lock.json'),
  ];
}
