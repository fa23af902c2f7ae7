import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The module boundaries of STYLE.md, checked on the source (our stand-in for an ESLint no-restricted-imports rule):
 * arrows point one way, cli → workflows → planner/executor → leaves. Every import counts, `import type` too: a type
 * edge ties two directories together as much as a value edge does (a change to the type breaks the importer), and
 * a cycle of type edges is still a cycle a reader has to untangle.
 *
 * ALLOWED is STYLE.md's table. Where we decided differently, the edge carries its reason. An edge not listed is
 * a design change: add it here with a reason, or move the code. One difference throughout: every module but model
 * may import errors (STYLE.md leaves it out of a few rows), since the error hierarchy is how any layer reports.
 */
const ALLOWED: Record<string, readonly string[]> = {
  errors: [],
  model: [],
  // Not in STYLE.md: files the operator names (inventory, dotenv, saved plan, archives), checked for what they are
  // and read within a size limit before anything parses them; zip directories and tar heads read in-process.
  files: ['errors'],
  secrets: ['errors', 'model', 'files'],
  inventory: [
    'errors', 'model',
    // STYLE.md says model and errors only. The inventory reads its dotenv file and resolves `${NAME}` references
    // while it validates, so a missing secret is reported with the other problems, at its file:line:col.
    'secrets',
    // ... and it is checked against the pattern and role catalogs (ports, distributions, WSO2 roles).
    'catalog',
    'yaml',
    // ... and the files it names are checked for what they are (archives of the right kind and version).
    'files',
  ],
  // files: the catalogs are cached between runs keyed by their files' identities (files/identity-cache.ts).
  catalog: ['errors', 'files', 'model', 'yaml'],
  // Not in STYLE.md: the positioned YAML reader (file:line:col) and shape check that inventories, patterns and role
  // files share.
  yaml: ['errors', 'model'],
  // STYLE.md: catalog types. Topology also asks the catalog which roles are WSO2 nodes and which 4.x range a
  // node's wiring is for (catalog/variants.ts, catalog/semver.ts): role facts live there as data.
  topology: ['catalog', 'errors', 'model'],
  render: [
    'errors', 'model', 'secrets',
    // Rendering a node is its role's file specs (catalog) filled with its wiring (topology): STYLE.md's table
    // predates topology/ and lists neither.
    'catalog', 'topology',
    // `render --out` writes the tree without following links planted in it.
    'files',
  ],
  facts: ['errors', 'model', 'transport'],
  planner: [
    'catalog', 'errors', 'model', 'steps',
    // Types only (checked below): the workflow renders, reads facts and passes them in; the planner reads no disk.
    'render', 'facts',
    // The on-host layout (release dirs, state dir) lives in topology/layout.ts, its one home.
    'topology',
  ],
  steps: ['errors', 'model', 'secrets', 'transport'],
  executor: ['errors', 'health', 'model', 'steps', 'transport'],
  health: ['errors', 'model', 'transport'],
  transport: ['errors', 'model'],
  ui: ['errors', 'model'],
  // The lock file lives in the host layout's state dir (topology/layout.ts: STATE_DIR).
  lock: ['errors', 'model', 'topology', 'transport'],
  lab: ['errors'],
  // "Everything below except cli": ui and lab are not below workflows (ui listens to events, lab is a test bed).
  workflows: ['catalog', 'errors', 'executor', 'facts', 'files', 'health', 'inventory', 'lock', 'model', 'planner', 'render', 'secrets', 'steps', 'topology', 'transport'],
  cli: [
    'errors', 'ui', 'workflows',
    // The lab command (only it: checked below). The lab is a tool for tests and demos, not a workflow.
    'lab',
    // `validate` and `render` are one call into their module each (load; render and write): a workflow would only
    // forward. `upgrade` checks --roles against model's ROLE_NAMES.
    'inventory', 'render', 'model',
  ],
  index: ['model', 'workflows'],
};

/**
 * Edges STYLE.md narrows to part of the target: `types` means `import type` only; a pattern lists the target files
 * a value may come from.
 */
const NARROW: readonly { from: string; to: string; allow: 'types' | RegExp; why: string }[] = [
  { from: 'planner', to: 'render', allow: 'types', why: 'the workflow renders and passes {content, sha256} in' },
  { from: 'planner', to: 'facts', allow: 'types', why: 'the workflow reads the facts and passes them in' },
  // The batched host probe reuses the transport's stat script, so `stat` and the probe read a file the same way.
  { from: 'facts', to: 'transport', allow: /^transport\/(transport|quote|stat-probe)\.ts$/, why: 'the interface and quote only' },
  { from: 'steps', to: 'transport', allow: /^transport\/(transport|quote)\.ts$/, why: 'the interface and quote only' },
  { from: 'executor', to: 'transport', allow: /^transport\/transport\.ts$/, why: 'the interface only' },
  { from: 'health', to: 'transport', allow: /^transport\/transport\.ts$/, why: 'the interface only' },
  { from: 'lock', to: 'transport', allow: /^transport\/transport\.ts$/, why: 'the interface only' },
];

/** Third-party packages only one place may import. */
const ONLY_IN: Record<string, RegExp> = {
  'node-ssh': /^transport\/ssh/,
  ssh2: /^transport\/ssh/,
  listr2: /^ui\/listr-renderer\.ts$/,
  eta: /^render\//,
  // Keystores are opened in one place (validate, the trust bundle and status all call it).
  'jks-js': /^files\/keystore\.ts$/,
  'node-forge': /^files\/keystore\.ts$/,
};

const ROOT = join(dirname(new URL(import.meta.url).pathname), '..', '..');
const SRC = join(ROOT, 'src');
const SIM = join(ROOT, 'sim');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.(ts|mts|js|mjs)$/.test(name) ? [path] : [];
  });
}

/** `workflows/run/open-run.ts` → `workflows`; `errors.ts` → `errors`. */
const moduleOf = (rel: string): string => rel.split('/')[0]!.replace(/\.(ts|js)$/, '');

interface Import {
  readonly file: string;
  readonly specifier: string;
  readonly typeOnly: boolean;
}

/** Static imports and re-exports (with or without `type`), side-effect imports and dynamic import() calls. */
function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const out: Import[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)'/gms)) {
    out.push({ file, specifier: m[3]!, typeOnly: Boolean(m[2]) });
  }
  for (const m of text.matchAll(/^\s*import\s+'([^']+)'/gm)) out.push({ file, specifier: m[1]!, typeOnly: false });
  for (const m of text.matchAll(/import\(\s*'([^']+)'\s*\)/g)) out.push({ file, specifier: m[1]!, typeOnly: false });
  return out;
}

interface Edge {
  readonly from: string;
  readonly to: string;
  /** `src/`-relative importing file and imported file. */
  readonly file: string;
  readonly target: string;
  readonly typeOnly: boolean;
}

const files = sourceFiles(SRC);
const edges: Edge[] = files.flatMap((file) =>
  importsOf(file).flatMap((imp): Edge[] => {
    if (!imp.specifier.startsWith('.')) return [];
    const rel = relative(SRC, file);
    const target = relative(SRC, normalize(join(dirname(file), imp.specifier))).replace(/\.js$/, '.ts');
    const from = moduleOf(rel);
    const to = moduleOf(target);
    return from === to ? [] : [{ from, to, file: rel, target, typeOnly: imp.typeOnly }];
  }),
);

/** Directory cycles, each once as `a → b → … → a` from its alphabetically first directory. */
function cycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const found = new Set<string>();
  const walk = (path: readonly string[]): void => {
    for (const next of graph.get(path[path.length - 1]!) ?? []) {
      if (next === path[0]) {
        const first = path.indexOf([...path].sort()[0]!);
        const loop = [...path.slice(first), ...path.slice(0, first)];
        found.add([...loop, loop[0]].join(' → '));
      } else if (!path.includes(next)) {
        walk([...path, next]);
      }
    }
  };
  for (const start of graph.keys()) walk([start]);
  return [...found].sort();
}

describe('module boundaries (STYLE.md)', () => {
  it('every module imports only the modules it may', () => {
    const violations = edges
      .filter((e) => !(ALLOWED[e.from] ?? []).includes(e.to))
      .map((e) => `${e.file} imports ${e.target}${e.typeOnly ? ' (type)' : ''}`);
    expect(violations).toEqual([]);
  });

  it('no import cycle between directories (type-only imports count)', () => {
    const graph = new Map<string, Set<string>>();
    for (const e of edges) (graph.get(e.from) ?? graph.set(e.from, new Set()).get(e.from)!).add(e.to);
    expect(cycles(graph)).toEqual([]);
  });

  it('narrowed edges take only what STYLE.md lets them (types, or named files)', () => {
    const offending = NARROW.flatMap((n) => edges
      .filter((e) => e.from === n.from && e.to === n.to)
      .filter((e) => (n.allow === 'types' ? !e.typeOnly : !n.allow.test(e.target)))
      .map((e) => `${e.file} imports ${e.target}: ${n.why}`));
    expect(offending).toEqual([]);
  });

  it('only the CLI\'s lab command imports src/lab: nothing in the orchestrator depends on the test bed', () => {
    const importers = [...new Set(edges.filter((e) => e.to === 'lab').map((e) => e.file))];
    expect(importers).toEqual(['cli/commands/lab.ts']);
  });

  it('sim/ imports nothing from src/ (it ships inside lab distributions, alone)', () => {
    expect(existsSync(SIM)).toBe(true);
    const escaping = sourceFiles(SIM).flatMap((file) => importsOf(file)
      .filter((i) => i.specifier.startsWith('.') && relative(SIM, normalize(join(dirname(file), i.specifier))).startsWith('..'))
      .map((i) => `${relative(ROOT, file)} imports ${i.specifier}`));
    expect(escaping).toEqual([]);
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

  it('the table covers every directory and file module of src/', () => {
    const present = [...new Set(files.map((f) => moduleOf(relative(SRC, f))))];
    expect(present.filter((m) => !(m in ALLOWED))).toEqual([]);
  });
});
