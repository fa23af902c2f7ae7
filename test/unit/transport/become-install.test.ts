import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GUARD_DRIFT_EXIT, guardDrift, guardedArgv, moveIntoPlaceArgv, placeAsOwnerArgv } from '../../../src/transport/atomic-write.js';

/**
 * The scripts a become transport places an upload with, run by this machine's sh. A failed step must fail the
 * script: an `if` whose condition fails exits 0, which once hid a move into a full /opt (rollout-faults (c)).
 */
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));
const me = userInfo();
const owner = `${me.uid}:${me.gid}`;
const run = (argv: string[]) => spawnSync(argv[0]!, argv.slice(1));
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'apim-install-'));
  dirs.push(dir);
  return dir;
};
/** A destination `mv -T` cannot replace: a directory that is not empty. */
const blockedDest = (dir: string): string => {
  mkdirSync(join(dir, 'dest', 'inside'), { recursive: true });
  return join(dir, 'dest');
};

describe('move-into-place script', () => {
  it('moves the upload into place with its mode', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'upload'), 'x');
    expect(run(moveIntoPlaceArgv(join(dir, 'upload'), join(dir, 'dest'), '0640', owner)).status).toBe(0);
    expect(readFileSync(join(dir, 'dest'), 'utf8')).toBe('x');
    expect(existsSync(join(dir, 'upload'))).toBe(false);
  });

  it('exits non-zero when the upload is missing, and leaves no temp file behind', () => {
    const dir = tempDir();
    expect(run(moveIntoPlaceArgv(join(dir, 'never-uploaded'), join(dir, 'dest'), '0640', owner)).status).not.toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('exits non-zero when the last rename fails, and removes the upload and the temp file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'upload'), 'x');
    const dest = blockedDest(dir);
    expect(run(moveIntoPlaceArgv(join(dir, 'upload'), dest, '0640', owner)).status).not.toBe(0);
    expect(readdirSync(dir)).toEqual(['dest']);
  });

  it('removes the directory the upload came in (DROP) once it is in place, and when the move fails', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'beside'));
    writeFileSync(join(dir, 'beside', 'upload'), 'x');
    expect(run(moveIntoPlaceArgv(join(dir, 'beside', 'upload'), join(dir, 'dest'), '0640', owner, join(dir, 'beside'))).status).toBe(0);
    expect(readFileSync(join(dir, 'dest'), 'utf8')).toBe('x');
    expect(readdirSync(dir)).toEqual(['dest']);
    const failing = tempDir();
    mkdirSync(join(failing, 'beside'));
    writeFileSync(join(failing, 'beside', 'upload'), 'x');
    expect(run(moveIntoPlaceArgv(join(failing, 'beside', 'upload'), blockedDest(failing), '0640', owner, join(failing, 'beside'))).status).not.toBe(0);
    expect(readdirSync(failing)).toEqual(['dest']);
  });
});

describe('place-as-owner script', () => {
  it('places the staged copy as the user and removes the staged copy', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'staged'), 'y');
    expect(run(placeAsOwnerArgv(me.username, join(dir, 'staged'), join(dir, 'dest'), '0600', undefined)).status).toBe(0);
    expect(readFileSync(join(dir, 'dest'), 'utf8')).toBe('y');
    expect(existsSync(join(dir, 'staged'))).toBe(false);
  });

  it('exits non-zero when the rename fails, leaving neither the staged copy nor a temp file', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'staged'), 'y');
    const dest = blockedDest(dir);
    expect(run(placeAsOwnerArgv(me.username, join(dir, 'staged'), dest, '0600', undefined)).status).not.toBe(0);
    expect(readdirSync(dir)).toEqual(['dest']);
  });
});

describe('guarded placement: the upload-file re-check in the placement\'s own command', () => {
  const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
  const placement = (dir: string): string[] => moveIntoPlaceArgv(join(dir, 'upload'), join(dir, 'dest'), '0640', owner);
  const guarded = (dir: string, replaces: (string | null)[]) => run(guardedArgv(join(dir, 'dest'), join(dir, 'upload'), replaces, placement(dir)));

  it('places when the destination holds what it may replace: absent, or one of the sha256s', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'upload'), 'new');
    expect(guarded(dir, [null, sha('new')]).status).toBe(0);
    expect(readFileSync(join(dir, 'dest'), 'utf8')).toBe('new');
    writeFileSync(join(dir, 'upload'), 'newer');
    expect(guarded(dir, [sha('new'), sha('newer')]).status).toBe(0);
    expect(readFileSync(join(dir, 'dest'), 'utf8')).toBe('newer');
    expect(readdirSync(dir)).toEqual(['dest']);
  });

  it('places nothing when the destination holds something else: it says what, and removes the upload', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'dest'), 'edited by hand');
    writeFileSync(join(dir, 'upload'), 'new');
    const r = guarded(dir, [sha('planned'), sha('new')]);
    expect({ status: r.status, stdout: r.stdout.toString() }).toEqual({ status: GUARD_DRIFT_EXIT, stdout: `drift ${sha('edited by hand')}\n` });
    expect(guardDrift({ exitCode: r.status, stdout: r.stdout.toString() })).toBe(sha('edited by hand'));
    expect(readFileSync(join(dir, 'dest'), 'utf8')).toBe('edited by hand');
    expect(readdirSync(dir)).toEqual(['dest']);
  });

  it('says `drift absent` when the file it was to replace is gone', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'upload'), 'new');
    const r = guarded(dir, [sha('planned'), sha('new')]);
    expect(guardDrift({ exitCode: r.status, stdout: r.stdout.toString() })).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a placement that fails after the guard passed fails the command as before', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'upload'), 'x');
    const r = run(guardedArgv(join(dir, 'dest'), join(dir, 'upload'), [null], moveIntoPlaceArgv(join(dir, 'upload'), blockedDest(dir), '0640', owner)));
    expect(r.status).not.toBe(0);
    expect(guardDrift({ exitCode: r.status, stdout: r.stdout.toString() })).toBeUndefined();
  });

  it('guardDrift reads only the guard\'s own refusal', () => {
    expect(guardDrift({ exitCode: 0, stdout: 'drift absent\n' })).toBeUndefined();
    expect(guardDrift({ exitCode: GUARD_DRIFT_EXIT, stdout: 'something else\n' })).toBeUndefined();
    expect(guardDrift({ exitCode: GUARD_DRIFT_EXIT, stdout: 'drift absent\n' })).toBeNull();
  });
});
