/** The CLI as operators expect it (Ansible, Terraform, kubectl, Kamal conventions), through the real bin/apim-deploy. */
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { chooseRenderer } from '../../../src/ui/index.js';
import { BIN, CLI_CALL_MS, REPO, cliTimeout } from './run-cli.js';
const run = promisify(execFile);
const ENV_FILE = 'inventories/pattern-3.env.example';

interface Result { code: number; stdout: string; stderr: string }
async function cli(...args: string[]): Promise<Result> {
  try {
    const r = await run(BIN, args, { cwd: REPO, encoding: 'utf8', timeout: CLI_CALL_MS, env: { ...process.env, NO_COLOR: '1' } });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('usage errors: one line, a suggestion, where --help is; exit 2', { timeout: cliTimeout(1) }, () => {
  const cases: [string[], RegExp][] = [
    [['provision', '-i', 'x.yaml', '--env-fille', 'x'], /^error: unknown option --env-fille: did you mean --env-file\?\nhint: see 'apim-deploy provision --help' for usage\n$/],
    [['provision', '-i', 'x.yaml', '--concurrency', 'abc'], /^error: --concurrency must be a whole number from 1 to 1000\nhint: see 'apim-deploy provision --help' for usage\n$/],
    [['upgrade', '-i', 'x.yaml', '--batch', '0'], /^error: --batch 0: expected a node count .*\nhint: see 'apim-deploy upgrade --help' for usage\n$/],
    [['upgrade', '-i', 'x.yaml', '--batch', '150%'], /^error: --batch 150%: expected a node count .* percentage from 1% to 100%/],
    [['upgrade', '-i', 'x.yaml', '--roles', 'gatway'], /^error: --roles: unknown role 'gatway' \(did you mean 'gateway'\?\)/],
    [['provison'], /^error: unknown command 'provison': did you mean provision\?/],
    [['lab', 'upp'], /^error: unknown lab command 'upp': did you mean up\?/],
    [['render', '-i', 'x.yaml', '--out', 'd'], /^error: unknown option --out: did you mean --out-dir\?/],
    [['graph', '-i', 'x.yaml', '--format', 'png'], /^error: --format: 'png' is not one of mermaid, svg, html/],
    [['plan'], /^error: missing -i\/--inventory\n/],
    [['status', '-i', 'x.yaml', 'extra'], /^error: unexpected argument 'extra'/],
    [['rollback', '-i', 'x.yaml', '--max-fail', '-1'], /^error: --max-fail must be a whole number of at least 0/],
  ];
  it.each(cases)('%j', async (args, expected) => {
    const r = await cli(...args);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toMatch(expected);
    expect(r.stderr).not.toMatch(/Options:|Commands:|envFille|internal error/);
    expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
  });
});

describe('foreseeable mistakes are never internal errors (exit 70)', { timeout: cliTimeout(1) }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'apim-cli-'));
  const file = join(dir, 'a-file');
  writeFileSync(file, 'x');
  const cases: [string, string[], number][] = [
    ['render into a file', ['render', '-i', 'inventories/pattern-3.yaml', '--env-file', ENV_FILE, '--out-dir', file], 2],
    ['plan --out into a directory', ['plan', '-i', 'inventories/pattern-3.yaml', '--out', dir], 2],
    ['graph --out into a missing directory', ['graph', '-i', 'inventories/pattern-3.yaml', '--env-file', ENV_FILE, '--out', join(dir, 'no/such/t.svg')], 2],
    ['init over an existing file', ['init', '--pattern', '3', '--out', file], 2],
    ['init of an unknown pattern', ['init', '--pattern', 'seven', '--out', join(dir, 'n.yaml')], 2],
    ['provision --report into a directory', ['provision', '-i', 'inventories/pattern-3.yaml', '--report', dir], 2],
    ['status --limit matching nothing', ['status', '-i', 'inventories/pattern-3.yaml', '--env-file', ENV_FILE, '--limit', 'gw-9'], 2],
  ];
  it.each(cases)('%s', async (_what, args, code) => {
    const r = await cli(...args);
    expect(r.code, r.stderr).toBe(code);
    expect(r.stderr).not.toContain('internal error');
  });
});

describe('the same option means the same on every command', { timeout: cliTimeout(2) }, () => {
  it.each([
    ['status', ['--limit', '--json']], ['rollback', ['--limit', '--dry-run', '--json', '--report', '--batch']], ['validate', ['--json']],
    ['render', ['--json', '--out-dir']], ['lock', ['--json']], ['upgrade', ['--limit', '--dry-run', '--report']], ['provision', ['--limit', '--report', '--out']],
    ['plan', ['--limit', '--out', '--json']], ['graph', ['--out', '--format']], ['init', ['--out', '--pattern', '--datacenters']],
    ['lab', ['up', 'down', 'status', 'dist']], ['completion', ['bash', 'zsh']], ['version', ['--json']],
  ] as const)('%s --help lists %j and has examples', async (command, options) => {
    const r = await cli(command, '--help');
    expect(r.code).toBe(0);
    for (const o of options) expect(r.stdout).toContain(o);
    expect(r.stdout).toContain('Examples:');
  });

  it('validate --json: valid, and every problem with its position', async () => {
    const ok = await cli('validate', '-i', 'test/fixtures/inventories/good/pattern-3.yaml', '--json');
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ format: 1, valid: true, pattern: '3', issues: [] });
    const bad = await cli('validate', '-i', 'inventories/pattern-3.yaml', '--json');
    expect(bad.code).toBe(3);
    const doc = JSON.parse(bad.stdout) as { valid: boolean; issues: { line: number; path: string }[] };
    expect(doc.valid).toBe(false);
    expect(doc.issues[0]).toMatchObject({ path: 'vars.admin_password' });
  });
});

describe('version and completion', { timeout: cliTimeout(4) }, () => {
  it('--version prints the number, version the details', async () => {
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect((await cli('--version')).stdout).toBe(`${pkg.version}\n`);
    expect((await cli('version')).stdout).toMatch(new RegExp(`^apim-deploy ${pkg.version.replace(/\./g, '\\.')} \\(node v\\d+`));
  });

  it('bash: the script completes a command and an option in a real bash', async () => {
    const script = (await cli('completion', 'bash')).stdout;
    expect(script).toContain('complete -o filenames -F _apim_deploy_complete apim-deploy');
    const complete = (line: string) => {
      const words = line.split(' ');
      const body = `apim-deploy() { "${BIN}" "$@"; }\n${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _apim_deploy_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
      return spawnSync('bash', ['-c', body], { cwd: REPO, encoding: 'utf8', timeout: CLI_CALL_MS }).stdout.trim().split('\n');
    };
    expect(complete('apim-deploy prov')).toEqual(['provision']);
    expect(complete('apim-deploy provision --conc')).toEqual(['--concurrency']);
    expect(complete('apim-deploy graph --format ')).toEqual(expect.arrayContaining(['mermaid', 'svg', 'html']));
  });

  it('zsh: the script is produced and the CLI answers with descriptions', async () => {
    const script = (await cli('completion', 'zsh')).stdout;
    expect(script).toMatch(/^#compdef apim-deploy/);
    expect(script).toContain('_describe');
    const r = spawnSync(BIN, ['--get-yargs-completions', 'upg'], { cwd: REPO, encoding: 'utf8', env: { ...process.env, SHELL: 'zsh' } });
    expect(r.stdout).toMatch(/^upgrade:Roll every node/m);
  });
});

describe('NO_COLOR and pipes', () => {
  it('the plain renderer (no escape sequence) on a pipe, in CI and under NO_COLOR even on a terminal', () => {
    expect(chooseRenderer({ isTTY: true, env: {} })).toBe('listr');
    expect(chooseRenderer({ isTTY: false, env: {} })).toBe('plain');
    expect(chooseRenderer({ isTTY: true, env: { NO_COLOR: '1' } })).toBe('plain');
    expect(chooseRenderer({ isTTY: true, env: { CI: 'true' } })).toBe('plain');
  });
});

describe('lab dist --version names the APIM version to build, as scripts/demo and the README call it', { timeout: cliTimeout(2) }, () => {
  it('builds 4.6.0 into --out-dir, with no yargs warning; apim-deploy --version still prints its own', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'apim-dist-cli-')), 'dist');
    const r = await cli('lab', 'dist', '--version', '4.6.0', '--out-dir', out);
    expect(r.stderr).not.toContain('reserved word');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(join(out, 'wso2am-acp-4.6.0.zip'));
    expect((await cli('--version')).stdout.trim()).toBe(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version);
  });
});
