import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Sha256Cache, sha256CachePath } from '../../../src/workflows/run/sha256-cache.js';

const dir = mkdtempSync(join(tmpdir(), 'sha256 cache '));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** Replaces the recorded hash of every entry, to prove a later answer came from the cache file. */
function forge(file: string, fake: string): void {
  const entries = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { sha256: string }>;
  for (const e of Object.values(entries)) e.sha256 = fake;
  writeFileSync(file, JSON.stringify(entries));
}

describe('the controller-side sha256 cache', () => {
  it('lives under XDG_CACHE_HOME, else ~/.cache', () => {
    expect(sha256CachePath({ XDG_CACHE_HOME: '/x' })).toBe('/x/apim-deploy/sha256.json');
    expect(sha256CachePath({})).toMatch(/\/\.cache\/apim-deploy\/sha256\.json$/);
  });

  it('answers an unchanged file from the cache in a later process, and hashes again after a change or with verify', async () => {
    const cacheFile = join(dir, 'cache.json');
    const f = join(dir, 'wso2am-4.6.0.zip');
    writeFileSync(f, 'v1');
    const first = new Sha256Cache(cacheFile);
    expect(await first.hash(f)).toBe(sha('v1'));
    first.save();
    forge(cacheFile, sha('from-cache'));
    expect(await new Sha256Cache(cacheFile).hash(f)).toBe(sha('from-cache'));
    expect(await new Sha256Cache(cacheFile).hash(f, { verify: true })).toBe(sha('v1'));
    // Same size, same mtime set back: ctime still moves, so the change is seen.
    const before = new Date('2026-01-01T00:00:00Z');
    utimesSync(f, before, before);
    const c = new Sha256Cache(cacheFile);
    await c.hash(f);
    c.save();
    forge(cacheFile, sha('from-cache'));
    writeFileSync(f, 'v2');
    utimesSync(f, before, before);
    expect(await new Sha256Cache(cacheFile).hash(f)).toBe(sha('v2'));
  });

  it('treats an unreadable or malformed cache as empty and never fails the run for it', async () => {
    const cacheFile = join(dir, 'broken.json');
    writeFileSync(cacheFile, '{"x": {"id": 1, "sha256": "nope"}, oops');
    const f = join(dir, 'jdk.tar.gz');
    writeFileSync(f, 'jdk');
    const c = new Sha256Cache(cacheFile);
    expect(await c.hash(f)).toBe(sha('jdk'));
    c.save();
    expect(Object.keys(JSON.parse(readFileSync(cacheFile, 'utf8')) as object)).toEqual([f]);
    const unwritable = new Sha256Cache(join(dir, 'jdk.tar.gz', 'not-a-dir', 'cache.json'));
    await unwritable.hash(f);
    expect(() => unwritable.save()).not.toThrow();
  });
});
