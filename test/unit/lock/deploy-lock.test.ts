/** The deploy lock's scripts through a real sh (LocalTransport) on a temp lock path; timing under a fake clock. */
import { mkdtempSync, rmSync, existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, DeployLockedError, forceRelease, readLock, releaseLock, withDeployLock, type LockAudit, type TakeOver } from '../../../src/lock/deploy-lock.js';
import { describeHolder, parseHolder, processStart, staleReason, type LockHolder } from '../../../src/lock/holder.js';
import { systemClock } from '../../../src/health/index.js';
import { LocalTransport } from '../../../src/transport/local.js';
import { FakeClock } from '../../fakes/fake-clock.js';

let dir: string;
let path: string;
const t = new LocalTransport('cp-1');
const opts = (command: string, extra: object = {}) => ({ transport: t, command, inventory: '/inv/prod.yaml', clock: systemClock, path, ...extra });

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lock-test-'));
  path = join(dir, 'state', 'deploy.lock');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('deploy lock', () => {
  it('is taken atomically with owner, command, pid and time; a second taker is refused naming the holder', async () => {
    const held = await acquireLock(opts('upgrade --to 4.6.0'));
    const onDisk = parseHolder(readFileSync(path, 'utf8'));
    expect(onDisk).toMatchObject({ token: held.token, command: 'upgrade --to 4.6.0', pid: process.pid, inventory: '/inv/prod.yaml' });
    expect(held.owner).toMatch(/^.+@.+$/);
    const refused = await acquireLock(opts('provision')).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DeployLockedError);
    expect((refused as Error).message).toContain(`locked by ${held.owner} (pid ${process.pid}) running \`upgrade --to 4.6.0\``);
    expect((refused as DeployLockedError).hint).toContain('apim-deploy lock release -i /inv/prod.yaml');
  });

  it('only the holder releases it; a forced release removes any lock', async () => {
    const held = await acquireLock(opts('upgrade'));
    expect(await releaseLock(t, { ...held, token: 'someone-else' }, path)).toMatch(/no longer ours/);
    expect(existsSync(path)).toBe(true);
    expect(await releaseLock(t, held, path)).toBeNull();
    expect(existsSync(path)).toBe(false);
    await acquireLock(opts('upgrade'));
    await forceRelease(t, path);
    expect(await readLock(t, path)).toBeNull();
  });

  it('is released when the locked work throws', async () => {
    await expect(withDeployLock(opts('rollback'), async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(existsSync(path)).toBe(false);
    await expect(withDeployLock(opts('rollback'), async () => 42)).resolves.toBe(42);
    expect(existsSync(path)).toBe(false);
  });

  it('--lock-wait: polls until the holder lets go, or refuses when the wait runs out', async () => {
    const held = await acquireLock(opts('upgrade'));
    const clock = new FakeClock({ autoAdvance: true });
    const waited: string[] = [];
    await expect(acquireLock(opts('provision', { clock, waitMs: 3000, onWait: (h: string) => waited.push(h) }))).rejects.toBeInstanceOf(DeployLockedError);
    expect(waited).toHaveLength(1);
    expect(clock.sleeps.length).toBeGreaterThanOrEqual(3);
    setTimeout(() => void releaseLock(t, held, path), 300);
    const second = await acquireLock(opts('provision', { waitMs: 10_000 }));
    expect(parseHolder(readFileSync(path, 'utf8'))).toMatchObject({ token: second.token, command: 'provision' });
  });

  it('a lock file that is not ours to parse is shown raw', () => {
    expect(describeHolder(parseHolder('hand made\n'))).toBe('an unknown holder: hand made');
    expect(describeHolder(parseHolder(''))).toContain('empty lock file');
  });

  it('records the controller, its boot and the process start, and a lease; renewing touches the file', async () => {
    await withDeployLock(opts('upgrade', { leaseMs: 4000 }), async (held) => {
      expect(held).toMatchObject({ controller: hostname(), pid: process.pid, pidStart: processStart(process.pid), leaseMs: 4000 });
      expect(held.boot).toMatch(/^[0-9a-f-]{36}$/);
      const old = new Date(Date.now() - 60_000);
      utimesSync(path, old, old);
      await new Promise((r) => setTimeout(r, 1500));
      expect(statSync(path).mtimeMs).toBeGreaterThan(old.getTime() + 30_000);
      expect((await readLock(t, path))!.ageMs).toBeLessThan(3000);
    });
  });

  it('takes over a lock whose lease ran out, and only then; the taker is told whose it was and why', async () => {
    const other = { token: 'dead-run', owner: 'ops@other-controller', command: 'upgrade', pid: 4242, startedAt: '2026-01-01T00:00:00Z',
      inventory: '/inv/prod.yaml', controller: 'other-controller', leaseMs: 30_000 };
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'state'), { recursive: true });
    writeFileSync(path, JSON.stringify(other));
    await expect(acquireLock(opts('upgrade'))).rejects.toBeInstanceOf(DeployLockedError);
    const old = new Date(Date.now() - 45_000);
    utimesSync(path, old, old);
    const told: string[] = [];
    const held = await acquireLock(opts('upgrade', { onTakeOver: (p: LockHolder, why: string) => { told.push(`${p.token}: ${why}`); } }));
    expect(told).toEqual([expect.stringMatching(/^dead-run: its lease ran out: last renewed 4\d s ago \(lease 30 s\)$/)]);
    expect(parseHolder(readFileSync(path, 'utf8'))).toMatchObject({ token: held.token });
  });

  it('takes over at once a lock whose process died on this controller', async () => {
    const { spawnSync } = await import('node:child_process');
    const gone = spawnSync('true').pid!;
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'state'), { recursive: true });
    writeFileSync(path, JSON.stringify({ token: 'killed', owner: `root@${hostname()}`, command: 'rollback', pid: gone, startedAt: 'x', inventory: 'i', controller: hostname(), leaseMs: 600_000 }));
    const told: string[] = [];
    await acquireLock(opts('upgrade', { onTakeOver: (_p: LockHolder, why: string) => { told.push(why); } }));
    expect(told).toEqual([`pid ${gone} is not running on this controller (${hostname()})`]);
  });

  it('staleness: a live holder here, or a holder elsewhere within its lease, is never taken over', () => {
    const here = { host: 'ctl', boot: 'b1', alive: (pid: number) => pid === 10, start: (pid: number) => (pid === 10 ? '500' : undefined) };
    const h = { token: 't', owner: 'root@ctl', command: 'upgrade', pid: 10, startedAt: 'x', inventory: 'i', controller: 'ctl', boot: 'b1', pidStart: '500', leaseMs: 60_000 };
    expect(staleReason(h, 1000, here)).toBeNull();
    expect(staleReason({ ...h, controller: 'elsewhere' }, 59_000, here)).toBeNull();
    expect(staleReason({ ...h, controller: 'elsewhere' }, 61_000, here)).toMatch(/lease ran out/);
    expect(staleReason({ ...h, pidStart: '499' }, 1000, here)).toMatch(/another process now/);
    expect(staleReason({ ...h, boot: 'b0' }, 1000, here)).toMatch(/rebooted/);
    expect(staleReason({ ...h, pid: 11 }, 1000, here)).toMatch(/not running/);
    const { leaseMs: _, controller: __, ...old } = h;
    expect(staleReason(old, 10_000_000, { ...here, host: 'other' })).toBeNull();
  });

  it('appends the audit lines in the commands that take and give back the lock: taken, then the outcome, whatever became of it', async () => {
    const file = join(dir, 'log', 'audit.log');
    const problems: string[] = [];
    const takes: (TakeOver | undefined)[] = [];
    let attempt = 0;
    const audit: LockAudit = {
      file, onProblem: (p) => problems.push(p), onRelease: () => 'ended\n',
      onTake: (over) => { takes.push(over); attempt++; return `started ${attempt}\n`; },
    };
    const held = await acquireLock(opts('upgrade'));
    // A refused attempt writes nothing; each attempt asks for its own lines (their time is the attempt's).
    const clock = new FakeClock({ autoAdvance: true });
    await expect(acquireLock(opts('provision', { audit, clock, waitMs: 2000 }))).rejects.toBeInstanceOf(DeployLockedError);
    expect(attempt).toBeGreaterThanOrEqual(2);
    expect(existsSync(file)).toBe(false);
    expect(await releaseLock(t, held, path)).toBeNull();
    attempt = 0;
    await withDeployLock(opts('provision', { audit }), async () => {
      expect(readFileSync(file, 'utf8')).toBe('started 1\n');
    });
    expect(readFileSync(file, 'utf8')).toBe('started 1\nended\n');
    expect(existsSync(path)).toBe(false);
    // A lock that is no longer ours is not removed, but the run's outcome is still recorded.
    const mine = await acquireLock(opts('upgrade'));
    expect(await releaseLock(t, { ...mine, token: 'someone-else' }, path, audit)).toMatch(/no longer ours/);
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe('started 1\nended\nended\n');
    expect(takes.every((o) => o === undefined)).toBe(true);
    expect(problems).toEqual([]);
  });

  it('an audit log that cannot be written is told, and the lock is taken and given back all the same', async () => {
    writeFileSync(join(dir, 'not-a-dir'), '');
    const problems: string[] = [];
    const audit: LockAudit = { file: join(dir, 'not-a-dir', 'audit.log'), onProblem: (p) => problems.push(p), onTake: () => 'started\n', onRelease: () => 'ok\n' };
    await expect(withDeployLock(opts('provision', { audit }), async () => {
      expect(parseHolder(readFileSync(path, 'utf8'))).toMatchObject({ command: 'provision' });
      return 7;
    })).resolves.toBe(7);
    expect(existsSync(path)).toBe(false);
    expect(problems).toEqual([0, 1].map(() => expect.stringMatching(/^cp-1: audit log not written: mkdir: .*not-a-dir.*File exists$/)));
  });

  it('a take-over writes the lines it is given for it (the stale holder and why) with the new holder', async () => {
    const { mkdirSync } = await import('node:fs');
    mkdirSync(join(dir, 'state'), { recursive: true });
    writeFileSync(path, JSON.stringify({ token: 'dead-run', owner: 'ops@elsewhere', command: 'upgrade', pid: 4242, startedAt: 'x', inventory: 'i', controller: 'elsewhere', leaseMs: 30_000 }));
    const old = new Date(Date.now() - 45_000);
    utimesSync(path, old, old);
    const file = join(dir, 'audit.log');
    const audit: LockAudit = {
      file, onProblem: () => {}, onRelease: () => '',
      onTake: (over) => (over ? `took over from ${over.previous.token}: ${over.why}\n` : '') + 'started\n',
    };
    const held = await acquireLock(opts('provision', { audit }));
    expect(parseHolder(readFileSync(path, 'utf8'))).toMatchObject({ token: held.token });
    expect(readFileSync(file, 'utf8')).toMatch(/^took over from dead-run: its lease ran out: last renewed 4\d s ago \(lease 30 s\)\nstarted\n$/);
    // Nothing to say at release: the lock goes, the log stays as it was.
    expect(await releaseLock(t, held, path, audit)).toBeNull();
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(3);
  });
});
