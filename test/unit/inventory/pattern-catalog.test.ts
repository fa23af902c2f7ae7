import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PATTERNS_DIR, getPattern, loadPatternCatalog } from '../../../src/catalog/patterns.js';
import { defaultRoleCatalog } from '../../../src/catalog/roles.js';
import { ConfigError } from '../../../src/errors.js';
import { PATTERN_IDS, type RoleName } from '../../../src/model/inventory.js';
import { roleLayers } from '../../../src/planner/order.js';

describe('pattern catalog (patterns/*.yaml)', () => {
  it('has every pattern', () => {
    const catalog = loadPatternCatalog();
    expect(catalog.map((p) => p.id).sort()).toEqual([...PATTERN_IDS].sort());
  });

  it('starts each pattern in the order of reference §4, from the roles\' dependsOn (load balancer first, see issue 3)', () => {
    const roles = defaultRoleCatalog();
    const order = (id: string) => {
      const p = getPattern(id)!;
      const used = Object.keys(p.layout?.roles ?? p.datacenters!.central.roles) as RoleName[];
      return roleLayers(used, (r) => roles[r].dependsOn);
    };
    expect(order('4')).toEqual([['database', 'load-balancer'], ['control-plane'], ['key-manager'], ['traffic-manager'], ['gateway']]);
    expect(order('3')).toEqual([['database', 'load-balancer'], ['control-plane'], ['traffic-manager'], ['gateway']]);
    expect(order('0')).toEqual([['database', 'load-balancer'], ['all-in-one']]);
  });

  it('encodes the reference rules', () => {
    expect(getPattern('0')!.layout!.roles['all-in-one']).toEqual({ min: 1, max: 1 });
    expect(getPattern('0')!.h2Allowed).toBe(true);
    expect(getPattern('1')!.layout!.roles['all-in-one']).toEqual({ min: 2 });
    expect(getPattern('3')!.layout!.roles['control-plane']).toEqual({ min: 1, max: 2 });
    expect(getPattern('3')!.layout!.roles['traffic-manager']).toEqual({ min: 1, max: 2 });
    expect(getPattern('3')!.layout!.roles.gateway).toEqual({ min: 1 });
    expect(getPattern('3')!.layout!.roles['all-in-one']).toBeUndefined();
    const ap = getPattern('multi-dc-active-passive')!.datacenters!;
    expect(ap.regional.roles['control-plane']).toBeUndefined();
    expect(ap.regional.roles.gateway).toEqual({ min: 1 });
    expect(getPattern('multi-dc-active-active')!.datacenters!.replicatedDatabase).toBe(true);
    expect(getPattern('9')).toBeUndefined();
  });

  it('rejects a broken pattern file with file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'patterns-'));
    cpSync(PATTERNS_DIR, dir, { recursive: true });
    writeFileSync(
      join(dir, '3.yaml'),
      ['id: "3"', 'title: t', 'description: d', 'layout:', '  roles:', '    gatewy: { min: 1 }', '  load_balancer_when: []', 'never_share: []', 'h2_allowed: false', ''].join('\n'),
    );
    let err: unknown;
    try {
      loadPatternCatalog(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const issues = (err as ConfigError).issues;
    expect(issues.find((i) => i.path === 'layout.roles.gatwy' || i.path === 'layout.roles.gatewy')).toMatchObject({ line: 6, col: 5 });
    expect(issues.every((i) => i.file.endsWith('3.yaml'))).toBe(true);
  });

  it('refuses keys nothing reads (the start order comes from the roles)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'patterns-'));
    cpSync(PATTERNS_DIR, dir, { recursive: true });
    writeFileSync(join(dir, '0.yaml'), `${readFileSync(join(PATTERNS_DIR, '0.yaml'), 'utf8')}start_order: [database, all-in-one]\n`);
    expect(() => loadPatternCatalog(dir)).toThrow(ConfigError);
    try {
      loadPatternCatalog(dir);
    } catch (e) {
      expect((e as ConfigError).issues.map((i) => `${i.path}: ${i.message}`)).toEqual([expect.stringMatching(/^start_order: unknown key 'start_order'/)]);
    }
  });
});
