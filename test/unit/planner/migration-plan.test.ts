import { describe, expect, it } from 'vitest';
import type { ResolvedMigration } from '../../../src/catalog/migration.js';
import type { Step } from '../../../src/model/plan.js';
import { migrationPlan, type MigrationInputs } from '../../../src/planner/migration/plan.js';
import { greenDatabaseName, migrationId, versionSteps } from '../../../src/planner/migration/versions.js';
import { previewStep } from '../../../src/steps/registry.js';
import { formatMigrationPlan } from '../../../src/ui/migration-printer.js';
import { liftWindowSteps, windowRefusal, type WindowBalancer } from '../../../src/planner/migration/write-window.js';

describe('version steps', () => {
  it('one minor release at a time, in order', () => {
    expect(versionSteps('4.5.0', '4.6.0')).toEqual([{ from: '4.5.0', to: '4.6.0' }]);
    expect(versionSteps('4.3.0', '4.6.0')).toEqual([{ from: '4.3.0', to: '4.4.0' }, { from: '4.4.0', to: '4.5.0' }, { from: '4.5.0', to: '4.6.0' }]);
  });
  it('refuses what is no migration', () => {
    expect(versionSteps('4.6.0', '4.5.0')).toMatch(/older than 4\.6\.0: migrate goes forward only/);
    expect(versionSteps('4.6.0', '4.6.0')).toMatch(/is 4\.6\.0 already: update levels .*roll in place with upgrade/);
    expect(versionSteps('4.6.0', '4.6.1')).toEqual([{ from: '4.6.0', to: '4.6.1' }]);
    expect(versionSteps('4.6.0', '5.0.0')).toMatch(/crosses a major version/);
    expect(versionSteps('4.6', '4.7.0')).toMatch(/not a version/);
  });
  it('names green databases and migrations by version and time', () => {
    expect(greenDatabaseName('apim_db', '4.6.0')).toBe('apim_db_460');
    expect(migrationId('4.5.0', '4.6.0', new Date('2026-12-02T08:47:00.123Z'))).toBe('4.5.0-to-4.6.0-20261202T084700Z');
  });
});

const commands: ResolvedMigration = {
  backupExtension: 'dump', backupOwner: 'postgres:postgres',
  backup: (db, file) => ['pg_dump', '-f', file, db],
  create: (db) => ['createdb', db],
  restore: (db, file) => ['pg_restore', '-d', db, file],
  script: (db, file, record) => ['psql', '-1', '-d', db, '-f', file, '-c', `record ${record}`],
  scriptDone: (db, record) => ['psql-has', db, record],
  scriptIn: (db, step) => `migration-${step.from}_to_${step.to}/${db}.sql`,
};
const inputs: MigrationInputs = {
  id: '4.5.0-to-4.6.0-20261202T084700Z', inventory: '/inv/p3.yaml', from: '4.5.0', to: '4.6.0', steps: [{ from: '4.5.0', to: '4.6.0' }],
  window: 'read-only', database: { host: 'db-1', commands, names: ['apim_db', 'shared_db'] },
  scripts: [
    { step: { from: '4.5.0', to: '4.6.0' }, database: 'apim_db', source: 'migration-4.5.0_to_4.6.0/postgresql.sql', sha256: 'a'.repeat(64) },
    { step: { from: '4.5.0', to: '4.6.0' }, database: 'shared_db', source: 'migration-4.5.0_to_4.6.0/shared_db/postgresql.sql', sha256: 'b'.repeat(64) },
  ],
  green: [{ blue: 'cp-1', name: 'cp-1-green', address: '10.0.1.21', pos: { file: 'p3.yaml', line: 30, col: 3 } },
    { blue: 'gw-1', name: 'gw-1-green', address: '10.0.3.21', pos: { file: 'p3.yaml', line: 31, col: 3 } }],
  blueNodes: [{ host: 'cp-1', role: 'control-plane' }, { host: 'gw-1', role: 'gateway' }],
  balancers: ['lb-1'], windowBalancers: [], controllerDir: '/inv/.apim-deploy/migrations/4.5.0-to-4.6.0-20261202T084700Z',
  done: new Set(),
  datacenters: [],
};
const line = (s: Step): string => `${s.kind} ${'argv' in s ? s.argv.join(' ') : 'path' in s ? s.path : 'paths' in s ? s.paths.join(' ') : ''}`;

describe('migration plan', () => {
  const plan = migrationPlan(inputs);
  it('has every phase in order; the database ones as steps, the later ones as lines', () => {
    expect(plan.phases.map((p) => `${p.name}:${p.steps.length}`)).toEqual(['backup:5', 'green-databases:4', 'schema:5', 'provision-green:0', 'verify-green:0', 'switch:0', 'keep-blue:0']);
    expect(plan.databases).toEqual([{ blue: 'apim_db', green: 'apim_db_460' }, { blue: 'shared_db', green: 'shared_db_460' }]);
  });
  it('backs up blue by version and time, copies to the controller, then restores green copies and migrates them, every step guarded by a marker', () => {
    const dir = '/var/lib/apim-deploy/migrations/4.5.0-to-4.6.0-20261202T084700Z';
    expect(plan.phases.slice(0, 3).flatMap((p) => p.steps.map(line))).toEqual([
      `ensure-dir ${dir}`,
      `run-once pg_dump -f ${dir}/apim_db-4.5.0-20261202T084700Z.dump apim_db`,
      `fetch-file ${dir}/apim_db-4.5.0-20261202T084700Z.dump`,
      `run-once pg_dump -f ${dir}/shared_db-4.5.0-20261202T084700Z.dump shared_db`,
      `fetch-file ${dir}/shared_db-4.5.0-20261202T084700Z.dump`,
      'run-once createdb apim_db_460',
      `run-once pg_restore -d apim_db_460 ${dir}/apim_db-4.5.0-20261202T084700Z.dump`,
      'run-once createdb shared_db_460',
      `run-once pg_restore -d shared_db_460 ${dir}/shared_db-4.5.0-20261202T084700Z.dump`,
      `ensure-dir ${dir}/scripts/4.5.0-to-4.6.0`,
      `upload-file ${dir}/scripts/4.5.0-to-4.6.0/0-postgresql.sql`,
      `run-once psql -1 -d apim_db_460 -f ${dir}/scripts/4.5.0-to-4.6.0/0-postgresql.sql -c record 4.5.0-to-4.6.0-20261202T084700Z/schema-4.6.0-0-apim_db_460`,
      `upload-file ${dir}/scripts/4.5.0-to-4.6.0/1-postgresql.sql`,
      `run-once psql -1 -d shared_db_460 -f ${dir}/scripts/4.5.0-to-4.6.0/1-postgresql.sql -c record 4.5.0-to-4.6.0-20261202T084700Z/schema-4.6.0-1-shared_db_460`,
    ]);
    const markers = plan.phases.flatMap((p) => p.steps).flatMap((s) => (s.kind === 'run-once' ? [s.marker] : []));
    expect(new Set(markers).size).toBe(markers.length);
    expect(markers.every((m) => m.startsWith(`${dir}/`) && m.endsWith('.done'))).toBe(true);
    // Each schema script records itself in its green database (same transaction); a lost marker is found by that record.
    expect(plan.phases[2]!.steps.flatMap((s) => (s.kind === 'run-once' ? [s.doneCheck] : []))).toEqual([
      ['psql-has', 'apim_db_460', '4.5.0-to-4.6.0-20261202T084700Z/schema-4.6.0-0-apim_db_460'],
      ['psql-has', 'shared_db_460', '4.5.0-to-4.6.0-20261202T084700Z/schema-4.6.0-1-shared_db_460'],
    ]);
    expect(plan.phases.slice(0, 2).flatMap((p) => p.steps).every((s) => !('doneCheck' in s))).toBe(true);
    const fetch = plan.phases[0]!.steps.find((s) => s.kind === 'fetch-file');
    expect(fetch).toMatchObject({ localPath: `${inputs.controllerDir}/apim_db-4.5.0-20261202T084700Z.dump`, after: ['db-1/run-once/migrate-backup-apim_db'] });
  });
  it('a re-run does not upload again what a done step used: the migration folder, a done script and its folder', () => {
    const dir = '/var/lib/apim-deploy/migrations/4.5.0-to-4.6.0-20261202T084700Z';
    const firstDone = migrationPlan({ ...inputs, done: new Set([`${dir}/backup-apim_db.done`, `${dir}/schema-4.6.0-0-apim_db_460.done`]) });
    const schema = firstDone.phases[2]!.steps;
    expect(firstDone.phases[0]!.steps.map(line)).not.toContain(`ensure-dir ${dir}`);
    expect(schema.map(line).filter((l) => !l.startsWith('run-once'))).toEqual([
      `ensure-dir ${dir}/scripts/4.5.0-to-4.6.0`,
      `upload-file ${dir}/scripts/4.5.0-to-4.6.0/1-postgresql.sql`,
    ]);
    // The done step stays in the plan (a run reports it unchanged, the dry run marks it done) and waits on nothing gone.
    expect(schema.find((s) => s.kind === 'run-once' && s.marker.endsWith('schema-4.6.0-0-apim_db_460.done'))?.after).toEqual([]);
    const allDone = migrationPlan({ ...inputs, done: new Set(firstDone.phases.flatMap((p) => p.steps).flatMap((s) => (s.kind === 'run-once' ? [s.marker] : []))) });
    expect(allDone.phases.flatMap((p) => p.steps).filter((s) => s.kind === 'upload-file' || s.kind === 'ensure-dir')).toEqual([]);
  });
  it('a multi-datacenter estate switches datacenter by datacenter, as the dry run says', () => {
    const multi = migrationPlan({ ...inputs, balancers: ['lb-eu', 'lb-ap'], datacenters: [{ name: 'eu', balancers: ['lb-eu'] }, { name: 'ap', balancers: ['lb-ap'] }] });
    expect(multi.phases[5]!.outline.find((l) => l.startsWith('datacenter by datacenter'))).toMatch(/^datacenter by datacenter: eu \(lb-eu\), then ap \(lb-ap\); each is recorded/);
    expect(plan.phases[5]!.outline.some((l) => l.startsWith('datacenter by datacenter'))).toBe(false);
  });
  it('names the green hosts, the balancers and the write-window choice', () => {
    expect(plan.phases[0]!.outline[0]).toMatch(/^read-only window: blue refuses design-time writes/);
    expect(migrationPlan({ ...inputs, window: 'accept-loss' }).phases[0]!.outline[0]).toMatch(/--accept-write-loss/);
    expect(plan.phases[3]!.outline).toEqual([
      'cp-1-green (10.0.1.21, partner of cp-1): control-plane at 4.6.0 on apim_db_460, shared_db_460; blue untouched',
      'gw-1-green (10.0.3.21, partner of gw-1): gateway at 4.6.0 on apim_db_460, shared_db_460; blue untouched',
      'the database host: pg_hba.conf grants the partners the green databases, blue keeps its grants',
      'lb-1: the green-only listener to the gateway partners opens; every client listener stays on blue',
      'its steps are planned when the phase starts, from the green hosts\' facts, by the planner provision uses',
    ]);
    expect(plan.phases[5]!.outline[0]).toMatch(/^lb-1: client upstreams cp-1, gw-1 → cp-1-green, gw-1-green; once it reaches every green port: the switch flag written \(.*no reload\), the read-only rule removed, then its connections to blue drained$/);
    expect(plan.phases[5]!.outline[1]).toMatch(/^recorded: clients on green .*switch\.done on db-1/);
    const haproxy = migrationPlan({ ...inputs, windowBalancers: [{ host: 'lb-1', kind: 'haproxy', rule: null, current: null }] });
    expect(haproxy.phases[5]!.outline[0]).toMatch(/^lb-1: client upstreams .*; runtime API, no reload: each green server probed and set ready once HAProxy sees it up, blue set maint and drained/);
  });
  it('prints every phase and command, steps the database host records marked done', () => {
    const done = new Set([(plan.phases[0]!.steps[1] as Extract<Step, { kind: 'run-once' }>).marker]);
    const text = formatMigrationPlan(plan, previewStep, done).join('\n');
    expect(text).toContain('== phase 1/7: backup:');
    expect(text).toContain('== phase 7/7: keep-blue:');
    expect(text).toMatch(/db-1: run once: back up apim_db .*\[done: a run skips it\]/);
    expect(text).not.toMatch(/back up shared_db .*\[done/);
    expect(text).toContain('$ pg_dump -f /var/lib/apim-deploy/migrations/');
    expect(text).toContain('get-file /var/lib/apim-deploy/migrations/');
  });
});

describe('read-only window on blue', () => {
  const rule = { dest: '/etc/nginx/apim-deploy-window/read-only.conf', sha256: 'd'.repeat(64), reload: ['nginx', '-s', 'reload'], runtime: null, lifted: 'absent' as const };
  const open: WindowBalancer = { host: 'lb-1', kind: 'nginx', rule, current: null };
  const closed: WindowBalancer = { ...open, current: rule.sha256 };
  const ids = (steps: readonly Step[]) => steps.map((s) => s.id);

  it('is written and reloaded on every balancer before the backup starts; the backup steps wait for the reload', () => {
    const plan = migrationPlan({ ...inputs, windowBalancers: [open, { ...open, host: 'lb-2' }] });
    const backup = plan.phases[0]!.steps;
    expect(ids(backup.slice(0, 6))).toEqual([
      'lb-1/ensure-dir//etc/nginx/apim-deploy-window', 'lb-1/upload-file//etc/nginx/apim-deploy-window/read-only.conf', 'lb-1/reload-component/write-window',
      'lb-2/ensure-dir//etc/nginx/apim-deploy-window', 'lb-2/upload-file//etc/nginx/apim-deploy-window/read-only.conf', 'lb-2/reload-component/write-window',
    ]);
    expect(backup[1]).toMatchObject({ kind: 'upload-file', sha256: rule.sha256, expectSha256: null, mode: '0644', owner: 'root:root', secret: false });
    expect(backup[2]).toMatchObject({ kind: 'reload-component', argv: ['nginx', '-s', 'reload'], after: [backup[1]!.id] });
    for (const s of backup.slice(6)) expect(s.after).toEqual(expect.arrayContaining(['lb-1/reload-component/write-window', 'lb-2/reload-component/write-window']));
    const text = formatMigrationPlan(plan, previewStep, new Set()).join('\n');
    expect(text).toContain('lb-1: create /etc/nginx/apim-deploy-window/read-only.conf (0644, root:root)');
    expect(text).toContain('$ nginx -s reload');
  });

  it('is kept, not written again, when a re-run finds it in place; --accept-write-loss touches no balancer', () => {
    const again = migrationPlan({ ...inputs, windowBalancers: [closed] });
    expect(again.phases[0]!.steps.filter((s) => s.host === 'lb-1')).toEqual([]);
    expect(again.phases[0]!.outline).toContain('the rule is in place on lb-1 already');
    const loss = migrationPlan({ ...inputs, window: 'accept-loss', windowBalancers: [open] });
    expect(loss.phases[0]!.steps.filter((s) => s.host === 'lb-1')).toEqual([]);
    expect(loss.phases[0]!.steps.every((s) => !s.after.some((a) => a.startsWith('lb-1/')))).toBe(true);
    expect(migrationPlan({ ...inputs, window: 'accept-loss', windowBalancers: [closed] }).phases[0]!.outline)
      .toContain('the read-only rule an earlier run set stays on lb-1 until the switch or migrate --abort');
  });

  it('is refused on a balancer whose role names no rule and without any balancer, naming them', () => {
    expect(windowRefusal([open])).toBeNull();
    expect(windowRefusal([open, { host: 'lb-2', kind: 'other', rule: null, current: null }])).toMatch(/^lb-2 \(other\): no read-only window rule/);
    expect(windowRefusal([])).toMatch(/no load balancer/);
  });

  it('is lifted only where a balancer holds it, by removing the file (the rule tests for it per request); a rule of other content is reloaded away', () => {
    expect(liftWindowSteps([open])).toEqual([]);
    const lift = liftWindowSteps([closed]);
    expect(lift.map((s) => `${s.kind} ${'path' in s ? s.path : ''}`)).toEqual(['remove-file /etc/nginx/apim-deploy-window/read-only.conf']);
    const older = liftWindowSteps([{ ...closed, current: 'e'.repeat(64) }]);
    expect(older.map((s) => `${s.kind} ${'path' in s ? s.path : ''}`)).toEqual(['remove-file /etc/nginx/apim-deploy-window/read-only.conf', 'reload-component ']);
    expect(older[1]!.after).toEqual([older[0]!.id]);
  });

  describe('through a runtime API (HAProxy: a map its config loads at every start)', () => {
    const runtimeRule = { dest: '/etc/haproxy/apim-deploy-window.map', sha256: 'm'.repeat(64), reload: ['haproxy-reload'], runtime: ['lb-window', '/etc/haproxy/apim-deploy-window.map'], lifted: 'empty' as const };
    const empty = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    const lifted: WindowBalancer = { host: 'lb-1', kind: 'haproxy', rule: runtimeRule, current: empty };
    const held: WindowBalancer = { ...lifted, current: runtimeRule.sha256 };

    it('is set on the running balancer first, then on file, with no reload; the backup waits for the file', () => {
      const backup = migrationPlan({ ...inputs, windowBalancers: [lifted] }).phases[0]!.steps;
      expect(ids(backup.slice(0, 2))).toEqual(['lb-1/balancer-window/read-only', 'lb-1/upload-file//etc/haproxy/apim-deploy-window.map']);
      expect(backup[0]).toMatchObject({ kind: 'balancer-window', to: 'read-only', argv: runtimeRule.runtime, after: [] });
      expect(backup[1]).toMatchObject({ sha256: runtimeRule.sha256, expectSha256: empty, after: [backup[0]!.id] });
      expect(backup.some((s) => s.kind === 'reload-component')).toBe(false);
      for (const s of backup.slice(2)) expect(s.after).toContain('lb-1/upload-file//etc/haproxy/apim-deploy-window.map');
      // An empty file holds no rule, as no file does; one with the rule is kept by a re-run.
      expect(migrationPlan({ ...inputs, windowBalancers: [{ ...lifted, current: null }] }).phases[0]!.steps[0]!.id).toBe('lb-1/balancer-window/read-only');
      expect(migrationPlan({ ...inputs, windowBalancers: [held] }).phases[0]!.steps.filter((s) => s.host === 'lb-1')).toEqual([]);
    });

    it('is lifted on the running balancer first, then its file emptied (the config cannot start without it); nothing where it is lifted already', () => {
      expect(liftWindowSteps([lifted])).toEqual([]);
      const lift = liftWindowSteps([held]);
      expect(lift.map((s) => s.id)).toEqual(['lb-1/balancer-window/writable', 'lb-1/upload-file//etc/haproxy/apim-deploy-window.map']);
      expect(lift[0]).toMatchObject({ kind: 'balancer-window', to: 'writable', argv: runtimeRule.runtime });
      expect(lift[1]).toMatchObject({ sha256: empty, expectSha256: runtimeRule.sha256, after: [lift[0]!.id] });
      // A rule of other content is lifted the same way: the runtime command clears whatever the balancer holds.
      expect(liftWindowSteps([{ ...held, current: 'x'.repeat(64) }]).map((s) => s.kind)).toEqual(['balancer-window', 'upload-file']);
    });
  });
});
