import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cachedPatterns, loadPatternCatalog, PATTERNS_DIR } from '../../../src/catalog/patterns.js';
import { cachedRoleCatalog, loadRoleCatalog, ROLES_DIR } from '../../../src/catalog/roles.js';
import { cachedByIdentity } from '../../../src/files/identity-cache.js';
import { issuesOf } from './config-issues.js';

/** A copy of roles/, templates/ and patterns/ to edit, and a cache file of its own. */
function copies() {
  const dir = mkdtempSync(join(tmpdir(), 'apim-catalog-cache-'));
  for (const d of ['roles', 'templates', 'patterns']) cpSync(join(ROLES_DIR, '..', d), join(dir, d), { recursive: true });
  return { roles: join(dir, 'roles'), templates: join(dir, 'templates'), patterns: join(dir, 'patterns'), cache: join(dir, 'cache', 'c.json'), dir };
}


/** Rewrites the cached value, so that a later answer shows whether it came from the cache. */
function tamper(cacheFile: string, edit: (value: Record<string, unknown>) => void): void {
  const entry = JSON.parse(readFileSync(cacheFile, 'utf8')) as { value: Record<string, unknown> };
  edit(entry.value);
  writeFileSync(cacheFile, JSON.stringify(entry));
}

const lineOf = (file: string, start: string) => readFileSync(file, 'utf8').split('\n').findIndex((l) => l.startsWith(start)) + 1;

describe('catalogs cached between runs', () => {
  it('both catalogs survive the JSON round trip of the cache unchanged', () => {
    const c = copies();
    try {
      // Read from the copies, uncached: the values the cache is written from.
      const roles = loadRoleCatalog(c.roles, c.templates);
      const patterns = loadPatternCatalog(c.patterns);
      expect(patterns.map((p) => p.id).sort()).toEqual(loadPatternCatalog(PATTERNS_DIR).map((p) => p.id).sort());
      expect(isDeepStrictEqual(JSON.parse(JSON.stringify(roles)), roles)).toBe(true);
      expect(isDeepStrictEqual(JSON.parse(JSON.stringify(patterns)), patterns)).toBe(true);
    } finally {
      rmSync(c.dir, { recursive: true, force: true });
    }
  });

  it('answers the role catalog from the cache while its files are unchanged, and reads them again when one changes', () => {
    const c = copies();
    try {
      const first = cachedRoleCatalog(c.roles, c.templates, c.cache);
      expect(first).toEqual(loadRoleCatalog(c.roles, c.templates));
      tamper(c.cache, (v) => { (v['gateway'] as { summary: string }).summary = 'from the cache'; });
      expect(cachedRoleCatalog(c.roles, c.templates, c.cache).gateway.summary).toBe('from the cache');

      const file = join(c.roles, 'gateway', 'role.yaml');
      writeFileSync(file, `${readFileSync(file, 'utf8')}\n# edited\n`);
      expect(first.gateway.summary).not.toBe('from the cache');
      expect(cachedRoleCatalog(c.roles, c.templates, c.cache).gateway.summary).toBe(first.gateway.summary);
    } finally {
      rmSync(c.dir, { recursive: true, force: true });
    }
  });

  it('reports a role file broken after a cached run with file:line, on every run, and caches nothing for it', () => {
    const c = copies();
    try {
      cachedRoleCatalog(c.roles, c.templates, c.cache);
      const file = join(c.roles, 'traffic-manager', 'role.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('upgrade: { maxBatch: 1 }', 'upgrade: { maxBatch: "one" }'));
      for (let run = 0; run < 2; run++) {
        const issues = issuesOf(() => cachedRoleCatalog(c.roles, c.templates, c.cache));
        expect(issues).toEqual([expect.objectContaining({ file, path: 'upgrade.maxBatch', line: lineOf(file, 'upgrade:') })]);
      }
    } finally {
      rmSync(c.dir, { recursive: true, force: true });
    }
  });

  it('reads the roles again when a template a role names is removed', () => {
    const c = copies();
    try {
      const catalog = cachedRoleCatalog(c.roles, c.templates, c.cache);
      const template = catalog['traffic-manager'].files[0]!.template;
      rmSync(join(c.templates, template));
      const issues = issuesOf(() => cachedRoleCatalog(c.roles, c.templates, c.cache));
      expect(issues.map((i) => i.message)).toContain(`template not found: templates/${template}`);
    } finally {
      rmSync(c.dir, { recursive: true, force: true });
    }
  });

  it('answers the pattern catalog from the cache, and reports a pattern file broken later with file:line', () => {
    const c = copies();
    try {
      expect(cachedPatterns(c.patterns, c.cache)).toEqual(loadPatternCatalog(c.patterns));
      tamper(c.cache, (v) => { (v as unknown as { title: string }[])[0]!.title = 'from the cache'; });
      expect(cachedPatterns(c.patterns, c.cache)[0]!.title).toBe('from the cache');

      const file = join(c.patterns, '3.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^h2_allowed: .*$/m, 'h2_allowed: maybe'));
      const [issue] = issuesOf(() => cachedPatterns(c.patterns, c.cache));
      expect(issue).toMatchObject({ path: 'h2_allowed', line: lineOf(file, 'h2_allowed:') });
      expect(issue!.file.endsWith(join('patterns', '3.yaml'))).toBe(true);
    } finally {
      rmSync(c.dir, { recursive: true, force: true });
    }
  });

  it('computes again when a new pattern file appears (the folder listing is an input)', () => {
    const c = copies();
    try {
      const before = cachedPatterns(c.patterns, c.cache);
      writeFileSync(join(c.patterns, 'extra.yaml'), 'id: extra\n');
      expect(issuesOf(() => cachedPatterns(c.patterns, c.cache)).map((i) => i.path)).toContain('title');
      rmSync(join(c.patterns, 'extra.yaml'));
      expect(cachedPatterns(c.patterns, c.cache)).toEqual(before);
    } finally {
      rmSync(c.dir, { recursive: true, force: true });
    }
  });
});

describe('cachedByIdentity', () => {
  it('computes when the cache file is damaged or cannot be written, and never fails the run for it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apim-identity-cache-'));
    try {
      const input = join(dir, 'input');
      writeFileSync(input, 'a');
      const damaged = join(dir, 'damaged.json');
      writeFileSync(damaged, '{"format": 1, "inp');
      let computed = 0;
      const compute = () => ({ value: ++computed, deps: [] });
      expect(cachedByIdentity(damaged, [input], compute)).toBe(1);
      expect(cachedByIdentity(damaged, [input], compute)).toBe(1);
      // A cache "directory" that is a file: nothing can be written under it.
      const unwritable = join(input, 'sub', 'c.json');
      expect(cachedByIdentity(unwritable, [input], compute)).toBe(2);
      expect(cachedByIdentity(unwritable, [input], compute)).toBe(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
