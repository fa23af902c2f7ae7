import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PATTERNS_DIR, getPattern, loadPatternCatalog } from '../../../src/catalog/patterns.js';
import { ConfigError } from '../../../src/errors.js';
import { PATTERN_IDS, ROLE_NAMES } from '../../../src/model/inventory.js';

describe('pattern catalog (patterns/*.yaml)', () => {
  it('has every pattern, each with a start order that follows ROLE_NAMES', () => {
    const catalog = loadPatternCatalog();
    expect(catalog.map((p) => p.id).sort()).toEqual([...PATTERN_IDS].sort());
    for (const p of catalog) {
      const ranks = p.startOrder.map((r) => ROLE_NAMES.indexOf(r));
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    }
  });

  it('encodes the reference rules', () => {
    expect(getPattern('0')!.layout!.roles['all-in-one']).toEqual({ min: 1, max: 1 });
    expect(getPattern('0')!.h2Allowed).toBe(true);
    expect(getPattern('1')!.layout!.roles['all-in-one']).toEqual({ min: 2 });
    expect(getPattern('3')!.layout!.roles['control-plane']).toEqual({ min: 1, max: 2 });
    expect(getPattern('3')!.layout!.roles['traffic-manager']).toEqual({ min: 1, max: 2 });
    expect(getPattern('3')!.layout!.roles.gateway).toEqual({ min: 1 });
    expect(getPattern('3')!.layout!.roles['all-in-one']).toBeUndefined();
    expect(getPattern('4')!.startOrder).toEqual(['database', 'control-plane', 'key-manager', 'traffic-manager', 'gateway', 'load-balancer']);
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
      ['id: "3"', 'title: t', 'description: d', 'layout:', '  roles:', '    gatewy: { min: 1 }', '  load_balancer_when: []', 'never_share: []', 'h2_allowed: false', 'start_order: [gateway, database]', ''].join('\n'),
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
    expect(issues.find((i) => i.path === 'start_order')?.message).toContain('must follow the start order');
    expect(issues.every((i) => i.file.endsWith('3.yaml'))).toBe(true);
  });
});
