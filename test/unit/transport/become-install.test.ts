import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installArgv } from '../../../src/transport/become-command.js';

/** The script a become transport moves an upload into place with, run by this machine's sh. */
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const owner = `${userInfo().uid}:${userInfo().gid}`;

describe('install-upload script', () => {
  it('moves the upload into place with its mode', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apim-install-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'upload'), 'x');
    const [cmd, ...args] = installArgv(join(dir, 'upload'), join(dir, 'dest'), '0640', owner);
    expect(spawnSync(cmd!, args).status).toBe(0);
    expect(existsSync(join(dir, 'dest'))).toBe(true);
  });

  it('exits non-zero when a move fails, and leaves no temp file behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apim-install-'));
    dirs.push(dir);
    const [cmd, ...args] = installArgv(join(dir, 'never-uploaded'), join(dir, 'dest'), '0640', owner);
    expect(spawnSync(cmd!, args).status).not.toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });
});
