#!/usr/bin/env node
/**
 * `npm run build`: bundles the CLI (src/cli/main.ts and what it imports, with its pure-JavaScript dependencies) into
 * build/cli/ with esbuild, as ES modules split at each dynamic import(), so a command's handler, the workflows and
 * the libraries it needs load only when it runs. bin/apim-deploy runs it, and runs the TypeScript through tsx
 * instead whenever build/cli/main.mjs is missing or, in a clone, older than a source (see there).
 *
 * Run by scripts/install-deps.sh (so by scripts/test and .ci/run) and `npm pack` (prepack: the tarball ships the
 * build). Plain JavaScript, so that it runs on node alone, before anything else is set up.
 */
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
/** build/cli, or the directory given (tests build into a temporary one). */
const OUT = resolve(args.find((a) => !a.startsWith('--')) ?? join(ROOT, 'build', 'cli'));
/** --clean (npm pack): keep nothing of earlier builds, so the tarball holds this build alone. */
const CLEAN = args.includes('--clean');

/**
 * Packages left to node_modules: native add-ons (ssh2's optional crypto binding, esbuild's binary) do not bundle,
 * and these load only in the commands that connect to hosts or build lab distributions.
 */
const EXTERNAL = ['node-ssh', 'ssh2', 'cpu-features', 'esbuild', 'pg', 'pg-native'];

/**
 * Every bundled module keeps the `import.meta.url` of its own source file, so that what it finds beside itself
 * (roles/, templates/, patterns/, sim/, schema/, package.json, yargs' locales) is found from the bundle as from
 * the sources. The URL is relative to the bundle, which stays inside the package: a clone or an install moves both.
 */
const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.(ts|mts|js|mjs)$/ }, (args) => {
      const text = readFileSync(args.path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const rel = relative(OUT, args.path).split('\\').join('/');
      const url = `new URL(${JSON.stringify(rel)}, import.meta.url).href`;
      return { contents: text.replaceAll('import.meta.url', url), loader: args.path.endsWith('ts') ? 'ts' : 'js', resolveDir: dirname(args.path) };
    });
  },
};

/**
 * yargs measures every help line with string-width, whose module builds Unicode emoji regexes and an
 * Intl.Segmenter when it loads: most of `--help`'s time. Printable ASCII is one column a character, so that is
 * answered at once, and the real string-width (each importer's own version) loads only for other text.
 */
const asciiFirstStringWidth = {
  name: 'ascii-first-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.pluginData === 'real') return undefined;
      const real = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'real' });
      return { path: relative(ROOT, real.path), namespace: 'ascii-first-string-width', pluginData: real.path };
    });
    b.onLoad({ filter: /.*/, namespace: 'ascii-first-string-width' }, (args) => ({
      contents: `let real;
export default function stringWidth(text, options) {
  if (typeof text === 'string' && /^[\x20-\x7e]*$/.test(text)) return text.length;
  real ??= require(${JSON.stringify(args.pluginData)}).default;
  return real(text, options);
}
`,
      loader: 'js',
      resolveDir: dirname(args.pluginData),
    }));
  },
};

const started = new Date();
const result = await build({
  absWorkingDir: ROOT,
  entryPoints: { main: 'src/cli/main.ts' },
  outdir: OUT,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  // CommonJS dependencies (dotenv, ssh-config, ...) call require() for node's built-ins.
  banner: { js: "import { createRequire as __apimCreateRequire } from 'node:module'; const require = __apimCreateRequire(import.meta.url);" },
  plugins: [ownImportMetaUrl, asciiFirstStringWidth],
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'warning',
  write: false,
});

/**
 * Written in place, each file whole (temp file, rename), main.mjs last: a CLI already running keeps finding the
 * chunks it loads later, since chunk names carry a hash of their content, and one starting now gets either build.
 * Chunks of earlier builds go once they are 10 minutes old (a run loads its chunks in its first seconds).
 */
const MAIN = join(OUT, 'main.mjs');
const writeWhole = (file, contents) => {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, contents);
  renameSync(tmp, file);
};
mkdirSync(OUT, { recursive: true });
const current = new Set(result.outputFiles.map((f) => f.path));
for (const f of result.outputFiles) if (f.path !== MAIN) writeWhole(f.path, f.contents);
writeWhole(MAIN, result.outputFiles.find((f) => f.path === MAIN).contents);
// The bundle is as old as the sources it read: a source saved while esbuild ran is newer, and makes it stale.
utimesSync(MAIN, started, started);
for (const name of readdirSync(OUT)) {
  const file = join(OUT, name);
  if (!current.has(file) && (CLEAN || Date.now() - statSync(file).mtimeMs > 10 * 60_000)) rmSync(file, { force: true });
}
const modules = [...current].filter((f) => f.endsWith('.mjs')).length;
// On stderr: `npm pack --json` runs this (prepack) and its stdout must stay one JSON document.
process.stderr.write(`${relative(ROOT, OUT) || OUT}: ${modules} modules in ${Date.now() - started.getTime()} ms\n`);
