import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import type { HostSpec } from '../../../src/model/inventory.js';
import { PLAN_DOCUMENT_KIND, PLAN_FORMAT, type Plan } from '../../../src/model/plan.js';
import { tomlKeyChanges } from '../../../src/ui/index.js';
import { driftedHosts } from '../../../src/workflows/saved-plan/drift.js';
import { limitHosts } from '../../../src/workflows/run/limit.js';
import { dryRunExitCode } from '../../../src/workflows/plan.js';
import { readSavedPlan } from '../../../src/workflows/saved-plan/plan-file.js';

describe('tomlKeyChanges', () => {
  const before = '[server]\noffset = 0\nhostname = "cp-1"\n[apim.throttling]\nthrottle_decision_endpoints = ["a:5672", "b:5672"]\n[super_admin]\npassword = "hunter2"\n';
  const after = '[server]\noffset = 1\n[apim.throttling]\nthrottle_decision_endpoints = ["a:5672", "b:5672", "c:5672"]\n[super_admin]\npassword = "swordfish"\ncreate_admin_account = true\n';

  it('names each changed key with its table, array lengths as entries', () => {
    expect(tomlKeyChanges(before, after, { mask: false })).toEqual([
      '[server] offset: 0 → 1',
      '[apim.throttling] throttle_decision_endpoints: 2 → 3 entries',
      '[super_admin] password: "hunter2" → "swordfish"',
      '[super_admin] create_admin_account: added (true)',
      '[server] hostname: removed (was "cp-1")',
    ]);
  });

  it('masks every value for files holding secrets', () => {
    const lines = tomlKeyChanges(before, after, { mask: true })!;
    expect(lines).toContain('[super_admin] password: changed (*** → ***)');
    expect(lines.join('\n')).not.toMatch(/hunter2|swordfish|cp-1/);
  });

  it('numbers arrays of tables, and gives up (null) on text that is not TOML', () => {
    expect(tomlKeyChanges('[[a.env]]\nname = "x"\n', '[[a.env]]\nname = "y"\n', { mask: false })).toEqual(['[[a.env]] #1 name: "x" → "y"']);
    expect(tomlKeyChanges('server {', 'a = 1', { mask: true })).toBeNull();
  });
});

describe('limitHosts', () => {
  const host = (name: string, roles: string[]) => ({ name, roles }) as unknown as HostSpec;
  const hosts = [host('cp-1', ['control-plane']), host('gw-1', ['gateway']), host('gw-2', ['gateway']), host('lb-1', ['load-balancer'])];

  it('takes host names, role names and globs, comma-separated', () => {
    expect([...limitHosts(hosts, 'gw-*')]).toEqual(['gw-1', 'gw-2']);
    expect([...limitHosts(hosts, 'control-plane, lb-1')]).toEqual(['cp-1', 'lb-1']);
    expect([...limitHosts(hosts, 'gw-?')]).toEqual(['gw-1', 'gw-2']);
  });

  it('refuses a term that matches nothing, listing what exists', () => {
    expect(() => limitHosts(hosts, 'gw-1,gw-9')).toThrow(UsageError);
    expect(() => limitHosts(hosts, 'gw-9')).toThrow(/'gw-9' matches no host or role/);
    expect(() => limitHosts(hosts, ' , ')).toThrow(/names no host/);
  });
});

describe('saved plans and drift', () => {
  const dir = mkdtempSync(join(tmpdir(), 'apim-saved-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const plan = (fp: Record<string, string>): Plan => ({
    format: PLAN_FORMAT, inventory: '/x.yaml', apimVersion: '4.6.0', createdAt: 'now', factsFingerprint: fp, waves: [], unchanged: [],
  });
  const file = (name: string, doc: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof doc === 'string' ? doc : JSON.stringify(doc));
    return path;
  };

  it('refuses another format version, another kind of file, and broken JSON', () => {
    expect(() => readSavedPlan(file('v1.json', { format: 1, kind: PLAN_DOCUMENT_KIND, limit: null, plan: { ...plan({}), format: 1 } })))
      .toThrow(/plan format 1, this apim-deploy reads format 3/);
    // Format 2 named each directory in its own ensure-dir step (`path`); format 3 steps take `paths`.
    expect(() => readSavedPlan(file('v2.json', { format: 2, kind: PLAN_DOCUMENT_KIND, limit: null, plan: { ...plan({}), format: 2 } })))
      .toThrow(/plan format 2, this apim-deploy reads format 3/);
    expect(() => readSavedPlan(file('other.json', { format: 2, events: [] }))).toThrow(/not an apim-deploy plan/);
    expect(() => readSavedPlan(file('broken.json', '{'))).toThrow(/cannot read it as JSON/);
    expect(readSavedPlan(file('ok.json', { format: PLAN_FORMAT, kind: PLAN_DOCUMENT_KIND, limit: 'gw-*', plan: plan({}) })).limit).toBe('gw-*');
  });

  it('names every host whose facts fingerprint changed, appeared or vanished', () => {
    expect(driftedHosts(plan({ a: '1', b: '2', c: '3' }), plan({ a: '1', b: '9', d: '4' }))).toEqual(['b', 'c', 'd']);
  });

  it('exit codes: Terraform convention with --detailed-exitcode', () => {
    const none = { unreachable: new Map(), problems: [], changesPending: false };
    expect(dryRunExitCode(none, true)).toBe(0);
    expect(dryRunExitCode({ ...none, changesPending: true }, true)).toBe(2);
    expect(dryRunExitCode({ ...none, changesPending: true }, false)).toBe(0);
    expect(dryRunExitCode({ ...none, problems: ['gw-1: port 8243 in use'] }, true)).toBe(1);
    expect(dryRunExitCode({ ...none, unreachable: new Map([['gw-1', 'down']]) }, false)).toBe(1);
  });
});
