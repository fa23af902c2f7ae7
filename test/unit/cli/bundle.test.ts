/**
 * The bundle bin/apim-deploy runs (scripts/build.mjs) behaves as the TypeScript sources do: the same help for every
 * command, the same usage errors, and the same results where the code finds files beside itself (roles/, patterns/,
 * templates/, schema/, package.json). Built into a temporary directory, so build/ is never touched.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_CALL_MS, REPO, cliTimeout } from './run-cli.js';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'apim-bundle-'));
const OUT = join(work, 'cli');
const TSX = join(REPO, 'node_modules/tsx/dist/esm/index.mjs');
const INV = join(REPO, 'inventories/pattern-3.yaml');
const ENV = join(REPO, 'inventories/pattern-3.env.example');

interface Result { code: number; stdout: string; stderr: string }

/** The CLI from the bundle, or from the sources through tsx, in `cwd`, with paths under `work` shown as WORK. */
async function cli(from: 'bundle' | 'tsx', args: readonly string[], cwd = work): Promise<Result> {
  const node = from === 'bundle' ? [join(OUT, 'main.mjs')] : ['--import', TSX, join(REPO, 'src/cli/main.ts')];
  const shown = (s: string) => s.replaceAll(work, 'WORK');
  try {
    const r = await run(process.execPath, [...node, '--', ...args], { cwd, encoding: 'utf8', timeout: CLI_CALL_MS, env: { ...process.env, NO_COLOR: '1', COLUMNS: '110' } });
    return { code: 0, stdout: shown(r.stdout), stderr: shown(r.stderr) };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: shown(err.stdout), stderr: shown(err.stderr) };
  }
}

/** Every file under `dir`, relative, with its content. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(dir, path)] = readFileSync(path, 'utf8');
    }
  };
  walk(dir);
  return out;
}

beforeAll(() => {
  execFileSync(process.execPath, [join(REPO, 'scripts/build.mjs'), OUT], { encoding: 'utf8', timeout: 300_000 });
}, 300_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the bundle and the sources answer alike', { timeout: cliTimeout(4) }, () => {
  const cases: [string, string[]][] = [
    ['--help', ['--help']],
    ['provision --help', ['provision', '--help']],
    ['upgrade --help', ['upgrade', '--help']],
    ['lab dist --help', ['lab', 'dist', '--help']],
    ['--version', ['--version']],
    ['a typo of a command', ['valdate']],
    ['a bad --batch', ['upgrade', '-i', INV, '--batch', '0']],
    ['validate (roles/, patterns/)', ['validate', '-i', INV, '--env-file', ENV]],
    ['graph (roles/, patterns/)', ['graph', '-i', INV, '--env-file', ENV]],
  ];
  it.each(cases)('%s', async (_label, args) => {
    const [bundle, sources] = await Promise.all([cli('bundle', args), cli('tsx', args)]);
    expect(bundle).toEqual(sources);
    expect(bundle.stdout + bundle.stderr).not.toBe('');
  });

  it('init writes the same inventory, pointing at the package\'s schema/', async () => {
    const [bundle, sources] = [join(work, 'init-bundle'), join(work, 'init-tsx')];
    for (const d of [bundle, sources]) execFileSync('mkdir', ['-p', d]);
    const [a, b] = await Promise.all([cli('bundle', ['init', '--pattern', '4', '--out', 'eu.yaml'], bundle), cli('tsx', ['init', '--pattern', '4', '--out', 'eu.yaml'], sources)]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(tree(bundle)).toEqual(tree(sources));
    expect(readFileSync(join(bundle, 'eu.yaml'), 'utf8')).toContain(`$schema=${relative(bundle, join(REPO, 'schema/inventory.schema.json'))}`);
  });

  it('render writes the same files from the package\'s templates/', async () => {
    const args = (dir: string) => ['render', '-i', INV, '--env-file', ENV, '--out-dir', join(work, dir)];
    const [a, b] = await Promise.all([cli('bundle', args('render-bundle')), cli('tsx', args('render-tsx'))]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout.replace('render-bundle', 'DIR')).toBe(b.stdout.replace('render-tsx', 'DIR'));
    const files = tree(join(work, 'render-bundle'));
    expect(Object.keys(files).length).toBeGreaterThan(9);
    expect(files).toEqual(tree(join(work, 'render-tsx')));
  });
});
