import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * Unit and golden tests need nothing but node and the coreutils: no service (PostgreSQL, nginx, sshd), no lab host,
 * no network, no root. Tests that need one of those live in test/integration. Checked on the source: the imports
 * that reach a service or a lab, and the programs a test may not spawn.
 */
const TEST_ROOT = join(import.meta.dirname, '..');
const TIERS = ['unit', 'golden'];

const FORBIDDEN_IMPORTS: readonly [RegExp, string][] = [
  [/from '(pg|node-ssh|ssh2)'/, 'a database or SSH client'],
  [/from '[./]+\/src\/lab\/hosts\/index\.js'/, 'lab hosts (namespaces, root)'],
  [/from '[./]+\/src\/transport\/(ssh|open)\.js'/, 'real SSH connections'],
  [/from '[./]+\/integration\//, 'integration helpers'],
];
const SERVICE_PROGRAMS = ['nginx', 'haproxy', 'socat', 'psql', 'postgres', 'pg_ctl', 'pg_ctlcluster', 'initdb', 'runuser', 'sshd', 'ip', 'nsenter', 'unshare', 'mount'];
const SPAWN = new RegExp(`\\b(spawn|spawnSync|execFile|execFileSync)\\(\\s*['"\`](${SERVICE_PROGRAMS.join('|')})['"\`]`);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const path = join(dir, f);
    return statSync(path).isDirectory() ? sources(path) : f.endsWith('.ts') ? [path] : [];
  });
}

describe('test tiers', () => {
  // This file names the forbidden patterns itself.
  const files = TIERS.flatMap((t) => sources(join(TEST_ROOT, t))).filter((f) => f !== import.meta.filename);

  it('unit and golden tests import nothing that reaches a service, a lab host or the network', () => {
    expect(files.length).toBeGreaterThan(50);
    const offenders = files.flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      return FORBIDDEN_IMPORTS.filter(([re]) => re.test(text)).map(([, what]) => `${relative(TEST_ROOT, f)}: imports ${what}`);
    });
    expect(offenders, 'move these tests to test/integration').toEqual([]);
  });

  it('unit and golden tests start no service program', () => {
    const offenders = files.filter((f) => SPAWN.test(readFileSync(f, 'utf8'))).map((f) => relative(TEST_ROOT, f));
    expect(offenders, 'move these tests to test/integration').toEqual([]);
  });

  it('the patterns catch what sat in unit before (a PostgreSQL launcher, nginx -t)', () => {
    expect(SPAWN.test("spawnSync('nginx', ['-t', '-q', '-c', file])")).toBe(true);
    expect(SPAWN.test("spawnSync('runuser', ['-u', 'postgres', '--', cmd])")).toBe(true);
    expect(FORBIDDEN_IMPORTS.some(([re]) => re.test("import pg from 'pg';"))).toBe(true);
    expect(SPAWN.test("execFileSync('unzip', ['-Z1', zip])")).toBe(false);
  });
});
