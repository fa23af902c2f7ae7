import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Secret } from '../../../src/model/secret.js';
import { commandLine, describeCommand, quoteArg } from '../../../src/transport/quote.js';

const NASTY = [
  'plain',
  'with space',
  "it's",
  "''",
  '"double"',
  '$(touch /tmp/pwned)',
  '`id`',
  '$HOME',
  'line1\nline2\n',
  '*',
  '/etc/*.conf',
  '',
  '-rf',
  '--',
  'a=b',
  'if',
  '\\back\\slash',
  'tab\there',
  '; rm -rf / #',
  '& | < > ( ) { } [ ] ! ~ ?',
  'ünïcødé ✓',
];

/** Run the wire line with `sh -c` and read back the argv it produced, NUL-separated. */
function roundTrip(argv: readonly string[], cwd?: string): string[] {
  const { wire } = commandLine({ argv: ['printf', '%s\\0', ...argv], ...(cwd ? { cwd } : {}) });
  const out = spawnSync('sh', ['-c', wire], { encoding: 'utf8' });
  expect(out.status, out.stderr).toBe(0);
  const parts = out.stdout.split('\0');
  parts.pop();
  return parts;
}

describe('quoteArg', () => {
  it('leaves safe words bare and single-quotes everything else', () => {
    expect(quoteArg('/opt/wso2/gw-1')).toBe('/opt/wso2/gw-1');
    expect(quoteArg('with space')).toBe("'with space'");
    expect(quoteArg("it's")).toBe("'it'\\''s'");
    expect(quoteArg('')).toBe("''");
    expect(quoteArg('a=b')).toBe("'a=b'");
    expect(quoteArg('if')).toBe("'if'");
    expect(quoteArg('*')).toBe("'*'");
  });
});

describe('commandLine', () => {
  it('round-trips every nasty argument through a real sh exactly', () => {
    expect(roundTrip(NASTY)).toEqual(NASTY);
  });

  it('keeps each argument whole, one per word', () => {
    for (const a of NASTY) expect(roundTrip([a])).toEqual([a]);
  });

  it('applies cwd with cd and quotes it', () => {
    const dir = mkdtempSync(join(tmpdir(), "q dir 'x' "));
    try {
      const { wire } = commandLine({ argv: ['pwd'], cwd: dir });
      expect(wire.startsWith('cd ')).toBe(true);
      expect(spawnSync('sh', ['-c', wire], { encoding: 'utf8' }).stdout).toBe(`${dir}\n`);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('does not run the command when cd fails', () => {
    const { wire } = commandLine({ argv: ['echo', 'ran'], cwd: '/nonexistent/dir' });
    const out = spawnSync('sh', ['-c', wire], { encoding: 'utf8' });
    expect(out.status).not.toBe(0);
    expect(out.stdout).toBe('');
  });

  it('passes env as assignments on the command, values quoted', () => {
    const value = "x y $(id) 'q'";
    const { wire } = commandLine({ argv: ['sh', '-c', 'printf %s "$K"'], env: { K: value } });
    expect(spawnSync('sh', ['-c', wire], { encoding: 'utf8' }).stdout).toBe(value);
  });

  it('rejects an env name that would become a command', () => {
    expect(() => commandLine({ argv: ['true'], env: { 'A B': 'x' } })).toThrow(/invalid environment variable/);
    expect(() => commandLine({ argv: [] })).toThrow(/empty argv/);
  });

  it('reveals secrets on the wire only', () => {
    const pw = new Secret("p@ss 'word'", 'DB_PASSWORD in test.env');
    const line = commandLine({ argv: ['psql', '-c', pw], env: { PGPASSWORD: pw } });
    expect(line.wire).toContain(quoteArg("p@ss 'word'"));
    expect(line.display).toBe('PGPASSWORD=*** psql -c ***');
    expect(line.display).not.toContain('p@ss');
  });
});

describe('describeCommand', () => {
  it('masks secrets in an argv and in a full command', () => {
    const pw = new Secret('hunter2', 'test');
    expect(describeCommand(['echo', pw, 'a b'])).toBe("echo *** 'a b'");
    expect(describeCommand({ argv: ['ls'], cwd: '/opt/x y', env: { T: pw } })).toBe("cd '/opt/x y' && T=*** ls");
  });
});
