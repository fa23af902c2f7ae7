/**
 * The package as users get it: `npm pack`, `npm i -g --prefix` of the tarball into a fresh prefix, then the installed
 * `apim-deploy` from another directory: --version, validate of an example shipped inside, init + validate. Then
 * `npm i` of the same tarball into a project, where npm hoists tsx beside the package instead of inside it.
 * Both run the bundle the tarball ships (build/cli, made by prepack): tsx is taken away before they run.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = resolve(import.meta.dirname, '../..');

const work = mkdtempSync(join(tmpdir(), 'apim-pkg-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let packed: { filename: string; files: { path: string }[] }[];
const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

beforeAll(() => {
  packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: REPO, encoding: 'utf8', timeout: 300_000 })) as typeof packed;
}, 300_000);

describe('npm package', () => {
  it('installs from its tarball and runs from any directory', () => {
    const files = packed[0]!.files.map((f) => f.path);
    expect(files.filter((f) => /^(test|bench|\.ci|\.lab|dist)\//.test(f) || /\.env$/.test(f))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['bin/apim-deploy', 'build/cli/main.mjs', 'schema/inventory.schema.json', 'docs/inventory.md', 'inventories/pattern-3.yaml', 'roles/gateway/role.yaml']));
    const prefix = join(work, 'prefix');
    execFileSync('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', join(work, packed[0]!.filename)], { encoding: 'utf8', timeout: 600_000 });
    const bin = join(prefix, 'bin', 'apim-deploy');
    // What runs is the bundle: without tsx, the TypeScript could not run at all.
    const tsx = join(prefix, 'lib', 'node_modules', 'apim-deploy', 'node_modules', 'tsx');
    renameSync(tsx, `${tsx}.away`);
    const elsewhere = mkdtempSync(join(work, 'cwd-'));
    expect(execFileSync(bin, ['--version'], { cwd: elsewhere, encoding: 'utf8' })).toBe(`${version}\n`);
    const shipped = join(prefix, 'lib', 'node_modules', 'apim-deploy', 'inventories');
    const out = execFileSync(bin, ['render', '-i', join(shipped, 'pattern-3.yaml'), '--env-file', join(shipped, 'pattern-3.env.example'), '--out-dir', join(elsewhere, 'r')], { cwd: elsewhere, encoding: 'utf8' });
    expect(out).toMatch(/file\(s\) for 9 host\(s\)/);
    execFileSync(bin, ['init', '--pattern', '4', '--out', 'eu.yaml'], { cwd: elsewhere, encoding: 'utf8' });
    expect(readFileSync(join(elsewhere, 'eu.yaml'), 'utf8')).toMatch(/yaml-language-server: \$schema=.*lib\/node_modules\/apim-deploy\/schema\/inventory\.schema\.json/);
    let code = 0;
    let stderr = '';
    try {
      execFileSync(bin, ['validate', '-i', 'eu.yaml', '--env-file', 'eu.env.example'], { cwd: elsewhere, encoding: 'utf8', stdio: 'pipe' });
    } catch (e) {
      code = (e as { status: number }).status;
      stderr = String((e as { stderr: string }).stderr);
    }
    expect(code).toBe(3);
    expect(stderr).toContain('fill in the address of host cp-1');
  }, 900_000);

  it('installs into a project, where npm hoists its dependencies, and runs', () => {
    const project = mkdtempSync(join(work, 'project-'));
    writeFileSync(join(project, 'package.json'), '{"name": "ops", "version": "1.0.0", "private": true}\n');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', join(work, packed[0]!.filename)], { cwd: project, encoding: 'utf8', timeout: 600_000 });
    expect(existsSync(join(project, 'node_modules', 'apim-deploy', 'node_modules', 'tsx'))).toBe(false); // hoisted: the case bin/ must find
    const bin = join(project, 'node_modules', '.bin', 'apim-deploy');
    renameSync(join(project, 'node_modules', 'tsx'), join(project, 'node_modules', 'tsx.away')); // the bundle runs, as above
    expect(execFileSync(bin, ['--version'], { cwd: project, encoding: 'utf8' })).toBe(`${version}\n`);
    const shipped = join(project, 'node_modules', 'apim-deploy', 'inventories');
    const out = execFileSync(bin, ['graph', '-i', join(shipped, 'pattern-3.yaml'), '--env-file', join(shipped, 'pattern-3.env.example')], { cwd: project, encoding: 'utf8' });
    expect(out).toMatch(/^(flowchart|graph) /m);
    expect(out).toContain('gw-1');
  }, 900_000);
});
