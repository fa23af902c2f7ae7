/** The init-system read, run by a real sh: which installed nodes the start script runs (no unit file of ours). */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { initSystemArgv, parseInitSystem, parseScriptInstalled } from '../../../src/facts/index.js';

describe('the init-system read', () => {
  it('names the installed nodes without a unit file, and only those', () => {
    const dir = mkdtempSync(join(tmpdir(), 'init-system-'));
    mkdirSync(join(dir, 'gateway', 'releases', 'r1'), { recursive: true });
    symlinkSync('releases/r1', join(dir, 'gateway', 'current'));
    mkdirSync(join(dir, 'control-plane', 'releases', 'r1'), { recursive: true });
    symlinkSync('releases/r1', join(dir, 'control-plane', 'current'));
    writeFileSync(join(dir, 'wso2am-control-plane.service'), '[Unit]\n');
    // The script looks for units under /etc/systemd/system/; a relative name walks from there to this test's dir.
    const unit = (role: string) => `../../..${dir}/wso2am-${role}.service`;
    const [sh, ...args] = initSystemArgv(['gateway', 'control-plane', 'traffic-manager'].map((role) => ({ role, home: join(dir, role, 'current'), unitName: unit(role) })));
    const run = spawnSync(sh!, args, { encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect([...parseScriptInstalled(run.stdout)]).toEqual(['gateway']);
    expect(parseInitSystem('systemd\nscript-installed gateway\n')).toBe('systemd');
    expect(parseInitSystem('script-installed gateway\n')).toBe('other');
  });
});
