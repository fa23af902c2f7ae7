import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The module boundaries of STYLE.md, checked on the source (our stand-in for an ESLint
 * no-restricted-imports rule): arrows point one way, cli → workflows → planner/executor → leaves.
 * An edge not listed here is a design change: add it with a reason, or move the code.
 */
const ALLOWED: Record<string, readonly string[]> = {
  errors: [],
  model: [],
  secrets: ['model'],
  // The positioned YAML reader and shape check that inventories, patterns and role files share.
  yaml: ['errors', 'model'],
  // The inventory is checked against the pattern and role catalogs (ports, distributions, WSO2 roles).
  inventory: ['catalog', 'errors', 'model', 'secrets', 'yaml'],
  catalog: ['errors', 'model', 'yaml'],
  topology: ['catalog', 'errors', 'model'],
  render: ['catalog', 'errors', 'model', 'topology'],
  transport: ['errors', 'model'],
  facts: ['errors', 'transport'],
  steps: ['errors', 'model', 'transport'],
  health: ['errors', 'model', 'transport'],
  executor: ['errors', 'health', 'model', 'steps', 'transport'],
  planner: ['catalog', 'errors', 'facts', 'model', 'render', 'topology'],
  lock: ['errors', 'model', 'topology', 'transport'],
  ui: ['model'],
  lab: ['errors'],
  workflows: ['catalog', 'errors', 'executor', 'facts', 'health', 'inventory', 'lock', 'model', 'planner', 'render', 'steps', 'topology', 'transport'],
  // cli: maps argv to workflows; validate/render/lab are thin enough to call their module directly.
  cli: ['errors', 'inventory', 'lab', 'model', 'render', 'ui', 'workflows'],
};

/** Third-party packages only one place may import. */
const ONLY_IN: Record<string, RegExp> = {
  'node-ssh': /^transport\/ssh/,
  ssh2: /^transport\/ssh/,
  listr2: /^ui\/listr-renderer\.ts$/,
  eta: /^render\//,
};

const SRC = join(dirname(new URL(import.meta.url).pathname), '..', '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

const moduleOf = (rel: string): string => rel.split('/')[0]!.replace(/\.(ts|js)$/, '');

interface Import {
  readonly file: string;
  readonly specifier: string;
  readonly typeOnly: boolean;
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const out: Import[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
    out.push({ file, specifier: m[3]!, typeOnly: Boolean(m[2]) });
  }
  for (const m of text.matchAll(/import\(\s*'([^']+)'\s*\)/g)) out.push({ file, specifier: m[1]!, typeOnly: false });
  return out;
}

const files = sourceFiles(SRC);

describe('module boundaries (STYLE.md)', () => {
  it('every module imports only the modules it may', () => {
    const violations: string[] = [];
    for (const file of files) {
      const rel = relative(SRC, file);
      const from = moduleOf(rel);
      for (const imp of importsOf(file)) {
        if (!imp.specifier.startsWith('.')) continue;
        const target = relative(SRC, normalize(join(dirname(file), imp.specifier)));
        const to = moduleOf(target);
        if (to === from) continue;
        if (!(ALLOWED[from] ?? []).includes(to)) violations.push(`${rel} imports ${target}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('the planner takes only types from render (the workflow renders; the planner reads no disk)', () => {
    const offending = files
      .filter((f) => moduleOf(relative(SRC, f)) === 'planner')
      .flatMap(importsOf)
      .filter((i) => /\/render\//.test(i.specifier) && !i.typeOnly)
      .map((i) => `${relative(SRC, i.file)}: ${i.specifier}`);
    expect(offending).toEqual([]);
  });

  it('third-party packages with one home are imported only there', () => {
    const violations: string[] = [];
    for (const file of files) {
      const rel = relative(SRC, file);
      for (const imp of importsOf(file)) {
        const rule = ONLY_IN[imp.specifier];
        if (rule && !rule.test(rel)) violations.push(`${rel} imports ${imp.specifier}`);
      }
    }
    expect(violations).toEqual([]);
  });
});
