import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { secretKeyChanges, unifiedDiff } from '../../../src/ui/index.js';

const OLD = ['[server]', 'hostname = "gw.lab"', 'offset = 0', '', '[apim.throttling]', 'enable_data_publishing = true',
  'throttle_decision_endpoints = ["tcp://tm-1:5672"]', '', '[transport.http]', 'properties.port = 9763', ''].join('\n');
const NEW = OLD.replace('offset = 0', 'offset = 1').replace('["tcp://tm-1:5672"]', '["tcp://tm-1:5672", "tcp://tm-2:5672"]');

/** Applies our diff with patch(1): whatever hunks we choose, they must turn old into new. */
function patchApplies(oldText: string, newText: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'apim-diff-'));
  try {
    writeFileSync(join(dir, 'f'), oldText);
    writeFileSync(join(dir, 'd'), unifiedDiff(oldText, newText, '/f'));
    execFileSync('patch', ['-s', '-p1', '-d', dir, '-i', join(dir, 'd')], { stdio: 'pipe' });
    return readFileSync(join(dir, 'f'), 'utf8') === newText;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('unifiedDiff', () => {
  it('prints diff(1)-style hunks with 3 lines of context', () => {
    expect(unifiedDiff(OLD, NEW, '/opt/wso2/gateway/current/repository/conf/deployment.toml')).toBe(
      [
        '--- a/opt/wso2/gateway/current/repository/conf/deployment.toml',
        '+++ b/opt/wso2/gateway/current/repository/conf/deployment.toml',
        '@@ -1,10 +1,10 @@',
        ' [server]',
        ' hostname = "gw.lab"',
        '-offset = 0',
        '+offset = 1',
        ' ',
        ' [apim.throttling]',
        ' enable_data_publishing = true',
        '-throttle_decision_endpoints = ["tcp://tm-1:5672"]',
        '+throttle_decision_endpoints = ["tcp://tm-1:5672", "tcp://tm-2:5672"]',
        ' ',
        ' [transport.http]',
        ' properties.port = 9763',
        '',
      ].join('\n'),
    );
  });

  it('is empty for equal texts and all additions for a new file', () => {
    expect(unifiedDiff(OLD, OLD, '/x')).toBe('');
    expect(unifiedDiff(undefined, 'a\nb\n', '/x')).toBe('--- /dev/null\n+++ b/x\n@@ -0,0 +1,2 @@\n+a\n+b\n');
  });

  it('splits far-apart changes into separate hunks that patch(1) applies', () => {
    const a = Array.from({ length: 40 }, (_, i) => `line ${i}`);
    const b = [...a];
    b[2] = 'changed 2';
    b.splice(30, 1);
    b.push('appended');
    const diff = unifiedDiff(`${a.join('\n')}\n`, `${b.join('\n')}\n`, '/f');
    // The same hunk headers GNU diff -u prints for these two files.
    expect(diff.match(/^@@ .* @@$/gm)).toEqual(['@@ -1,6 +1,6 @@', '@@ -28,7 +28,6 @@', '@@ -38,3 +37,4 @@']);
    expect(patchApplies(`${a.join('\n')}\n`, `${b.join('\n')}\n`)).toBe(true);
  });

  it('agrees with patch(1) on random edits', () => {
    let seed = 7;
    const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let round = 0; round < 25; round++) {
      const a = Array.from({ length: 5 + rand(60) }, () => `k${rand(8)} = ${rand(4)}`);
      const b = a.flatMap((line) => {
        const r = rand(10);
        return r === 0 ? [] : r === 1 ? [line, `new ${rand(5)}`] : r === 2 ? [`edit ${rand(5)}`] : [line];
      });
      expect(patchApplies(`${a.join('\n')}\n`, `${b.join('\n')}\n`)).toBe(true);
    }
  });
});

describe('secretKeyChanges', () => {
  it('names changed, added and removed keys per table, never the values', () => {
    const before = '[database.apim_db]\nusername = "apimadmin"\npassword = "old-pw"\n\n[super_admin]\npassword = "admin"\n';
    const after = '[database.apim_db]\nusername = "apimadmin"\npassword = "new-pw"\n\n[keystore.tls]\npassword = "ks"\n';
    const lines = secretKeyChanges(before, after);
    expect(lines).toEqual([
      '[database.apim_db] password: changed (*** → ***)',
      '[keystore.tls] password: added (***)',
      '[super_admin] password: removed',
    ]);
    expect(lines.join('\n')).not.toMatch(/old-pw|new-pw|admin"|ks"/);
  });

  it('numbers repeated [[array]] tables', () => {
    const before = '[[apim.throttling.url_group]]\ntraffic_manager_urls = ["tcp://tm-1:9611"]\n';
    const after = `${before}[[apim.throttling.url_group]]\ntraffic_manager_urls = ["tcp://tm-2:9611"]\n`;
    expect(secretKeyChanges(before, after)).toEqual(['[[apim.throttling.url_group]] #2 traffic_manager_urls: added (***)']);
  });
});
