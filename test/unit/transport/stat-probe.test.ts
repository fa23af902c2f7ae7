import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandLine } from '../../../src/transport/quote.js';
import { tempPathBeside } from '../../../src/transport/atomic-write.js';
import { parseMode, parseStat, statArgv } from '../../../src/transport/stat-probe.js';

describe('parseStat', () => {
  it('parses raw mode, owner and size (captured GNU stat output)', () => {
    expect(parseStat('81a0 wso2carbon 1234\n')).toEqual({ kind: 'file', mode: '0640', owner: 'wso2carbon', size: 1234 });
    expect(parseStat('41ed root 4096\n')).toEqual({ kind: 'dir', mode: '0755', owner: 'root', size: 4096 });
    expect(parseStat('a1ff root 27\n')).toEqual({ kind: 'symlink', mode: '0777', owner: 'root', size: 27 });
    expect(parseStat('21b6 root 0\n')).toEqual({ kind: 'other', mode: '0666', owner: 'root', size: 0 });
    expect(parseStat('absent\n')).toBeUndefined();
    expect(() => parseStat('stat: weird\n')).toThrow(/unexpected stat output/);
  });

  it('agrees with the real stat on this machine, without following symlinks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'stat probe '));
    try {
      writeFileSync(join(dir, 'f'), 'hello');
      chmodSync(join(dir, 'f'), 0o640);
      symlinkSync('f', join(dir, 'l'));
      const run = (p: string) => parseStat(spawnSync('sh', ['-c', commandLine({ argv: statArgv(p) }).wire], { encoding: 'utf8' }).stdout);
      expect(run(join(dir, 'f'))).toEqual({ kind: 'file', mode: '0640', owner: userInfo().username, size: 5 });
      expect(run(join(dir, 'l'))).toMatchObject({ kind: 'symlink' });
      expect(run(join(dir, 'missing'))).toBeUndefined();
      symlinkSync('nowhere', join(dir, 'dangling'));
      expect(run(join(dir, 'dangling'))).toMatchObject({ kind: 'symlink' });
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

describe('parseMode and tempPathBeside', () => {
  it('accepts 3 or 4 octal digits only', () => {
    expect(parseMode('0640')).toBe(0o640);
    expect(parseMode('755')).toBe(0o755);
    expect(() => parseMode('rw-r--r--')).toThrow(/invalid file mode/);
    expect(() => parseMode('0999')).toThrow(/invalid file mode/);
  });

  it('puts the temp file in the destination directory (never /tmp: rename across mounts fails)', () => {
    const tmp = tempPathBeside('/opt/wso2/gw/conf/deployment.toml');
    expect(tmp).toMatch(/^\/opt\/wso2\/gw\/conf\/\.deployment\.toml\.apim-[0-9a-f]{12}\.tmp$/);
    expect(tempPathBeside('/a/b')).not.toBe(tempPathBeside('/a/b'));
  });
});
