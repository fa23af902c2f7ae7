/** The deploy lock's scripts through a real sh (LocalTransport) on a temp lock path; timing under a fake clock. */
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireLock, DeployLockedError, forceRelease, readLock, releaseLock, withDeployLock } from '../../../src/lock/deploy-lock.js';
import { describeHolder, parseHolder } from '../../../src/lock/holder.js';
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
    expect(await releaseLock(t, { ...held, token: 'someone-else' }, path)).toBeNull();
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
});
