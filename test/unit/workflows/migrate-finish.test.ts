/**
 * `migrate --finish` (docs/migrate.md "Finishing"): when it may run (the controller's record says switched and every
 * balancer sends clients to green alone), the steps it plans for blue, the migrated inventory it writes, and the
 * refusal of provision/plan/upgrade on the inventory that still describes blue.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { UsageError } from '../../../src/errors.js';
import { migratedInventoryFile, migratedInventoryText } from '../../../src/inventory/migrated-inventory.js';
import { blueRemovalSteps, installedPaths, markFinishedStep, removalArgv } from '../../../src/planner/migration/finish-steps.js';
import { finishedMigrationOf, finishRefusal, refuseFinishedMigration } from '../../../src/workflows/migrate/finish-gate.js';
import { markFinished, writeRecord, readRecord, type MigrationRecord } from '../../../src/workflows/migrate/record.js';
import type { BalancerTraffic } from '../../../src/workflows/status/traffic-side.js';
import { REPO, renderExample } from '../render/examples.js';

const ID = '4.5.0-to-4.6.0-20261202T084700Z';
const record = (phasesDone: MigrationRecord['phasesDone'], extra: Partial<MigrationRecord> = {}): MigrationRecord => ({
  id: ID, from: '4.5.0', to: '4.6.0', window: 'accept-loss', databaseHost: 'db-1',
  databases: [{ blue: 'apim_db', green: 'apim_db_460' }, { blue: 'shared_db', green: 'shared_db_460' }],
  green: [{ blue: 'apim-1', name: 'apim-1-green', address: '10.30.1.21' }, { blue: 'gw-1', name: 'gw-1b', address: '10.30.2.21' }],
  phasesDone, updatedAt: '2026-12-02T09:00:00Z', ...extra,
});
const SWITCHED = record(['backup', 'green-databases', 'schema', 'provision-green', 'verify-green', 'switch']);
const side = (s: BalancerTraffic['side'], blue: string[] = [], detail?: string): BalancerTraffic => ({ balancer: 'lb-1', side: s, blue, green: s === 'green' ? ['apim_gateway_http/10.30.2.21:8280'] : [], ...(detail ? { detail } : {}) });
const want = { from: '4.5.0', to: '4.6.0', inventoryArg: 'inv.yaml' };

describe('migrate --finish: when it may run', () => {
  it('runs after the switch, with every balancer sending clients to green alone', () => {
    expect(finishRefusal(SWITCHED, [side('green')], want)).toBeNull();
  });
  it('is refused (exit 2) before the switch, pointing to the switch or --abort', () => {
    const r = finishRefusal(record(['backup', 'green-databases', 'schema', 'provision-green', 'verify-green']), [side('blue', ['a'])], want);
    expect(r).toBeInstanceOf(UsageError);
    expect(r!.exitCode).toBe(2);
    expect(r!.message).toMatch(/has not switched the balancers to green \(phases done: backup, .*verify-green\): blue still serves/);
    expect(r!.hint).toMatch(/--abort/);
  });
  it('is refused while a balancer still sends clients to blue, to both, or cannot be read, though the record says switched', () => {
    expect(finishRefusal(SWITCHED, [side('blue', ['apim_gateway_http/10.30.2.11:8280'])], want)?.message).toMatch(/traffic is not on green alone: lb-1: sends clients to blue \(1 blue server/);
    expect(finishRefusal(SWITCHED, [side('both', ['x'])], want)?.message).toMatch(/sends clients to both/);
    expect(finishRefusal(SWITCHED, [side('unread', [], 'connection refused')], want)?.message).toMatch(/cannot read its servers \(connection refused\)/);
    expect(finishRefusal(SWITCHED, [side('unread', [], 'x')], want)?.hint).toMatch(/--rollback/);
  });
  it('is refused without a recorded migration of these versions, and once finished', () => {
    expect(finishRefusal(null, [], want)?.message).toMatch(/no migration 4\.5\.0 → 4\.6\.0 recorded/);
    expect(finishRefusal(SWITCHED, [], { ...want, to: '4.7.0' })?.message).toMatch(/no migration 4\.5\.0 → 4\.7\.0/);
    expect(finishRefusal({ ...SWITCHED, finishedAt: '2026-12-02T10:00:00Z', finishedInventory: 'inv.migrated.yaml' }, [side('green')], want)?.message).toMatch(/finished already/);
  });
});

describe('migrate --finish: blue\'s steps', () => {
  it('stops every WSO2 node of a blue host, then disables its units and removes its install directory once (marker outside it)', async () => {
    const nodes = (await renderExample('pattern-2')).filter((n) => n.host === 'gw-1');
    const steps = blueRemovalSteps('gw-1', nodes, `/var/lib/apim-deploy/migrations/${ID}`);
    expect(steps.map((s) => s.kind)).toEqual(['stop-component', 'run-once']);
    const [stop, remove] = steps;
    expect(stop).toMatchObject({ host: 'gw-1', component: 'gateway', node: { host: 'gw-1', role: 'gateway' } });
    expect(remove).toMatchObject({ kind: 'run-once', marker: `/var/lib/apim-deploy/migrations/${ID}/blue-removed`, after: [stop!.id] });
    const argv = remove!.kind === 'run-once' ? remove!.argv : [];
    expect(argv.slice(0, 2)).toEqual(['sh', '-c']);
    expect(argv[4]).toBe('/opt/wso2');
    // Only what apim-deploy made there; never the install directory itself with rm -rf.
    expect(argv.slice(argv.indexOf('--') + 1)).toEqual(['/opt/wso2/gateway', '/opt/wso2/jdk', '/opt/wso2/.artifacts']);
    expect(argv[2]).not.toContain('rm -rf -- "$d"');
    expect(markFinishedStep('db-1', `/var/lib/apim-deploy/migrations/${ID}`, [])).toMatchObject({ kind: 'run-once', marker: `/var/lib/apim-deploy/migrations/${ID}/finished`, argv: ['touch', '--', `/var/lib/apim-deploy/migrations/${ID}/completed`] });
  });
});

describe('migrate --finish: what it removes', () => {
  const tree = (installDir: string) => {
    for (const d of ['gateway/releases/4.5.0-abcd1234/bin', 'gateway/data', 'jdk/releases/jdk-17', '.artifacts/jdk', 'other-product/bin']) mkdirSync(join(installDir, d), { recursive: true });
    writeFileSync(join(installDir, 'gateway', 'wso2.env'), 'X=1\n');
    writeFileSync(join(installDir, 'other-product', 'bin', 'run.sh'), '#!/bin/sh\n');
    writeFileSync(join(installDir, 'README.not-ours'), 'kept\n');
  };
  const run = (argv: readonly string[]) => execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
  it('install_dir shared with other software (/opt): apim-deploy\'s directories go, everything else stays, and so does the directory', () => {
    const opt = join(mkdtempSync(join(tmpdir(), 'apim-finish-')), 'opt');
    tree(opt);
    run(removalArgv(opt, [], installedPaths(opt, [`${opt}/gateway`])));
    expect(readdirSync(opt).sort()).toEqual(['README.not-ours', 'other-product']);
    expect(readFileSync(join(opt, 'other-product', 'bin', 'run.sh'), 'utf8')).toBe('#!/bin/sh\n');
    // A re-run (the marker lost) finds nothing of ours and still removes nothing else.
    run(removalArgv(opt, [], installedPaths(opt, [`${opt}/gateway`])));
    expect(readdirSync(opt).sort()).toEqual(['README.not-ours', 'other-product']);
  });
  it('an install directory holding only what apim-deploy made is removed; a path with spaces and quotes is an argument, not script', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'apim-finish-')), `wso2 "it's" $(x)`);
    mkdirSync(join(dir, 'gateway', 'releases'), { recursive: true });
    mkdirSync(join(dir, 'jdk'), { recursive: true });
    run(removalArgv(dir, [], installedPaths(dir, [`${dir}/gateway`])));
    expect(existsSync(dir)).toBe(false);
  });
  it('refuses a path outside the install directory', () => {
    expect(() => installedPaths('/opt/wso2', ['/opt/other/gateway'])).toThrow(/outside \/opt\/wso2/);
  });
});

describe('migrate --finish: the migrated inventory', () => {
  const text = readFileSync(join(REPO, 'inventories/pattern-2.yaml'), 'utf8').replace(/version: 4\.6\.0/, 'version: 4.5.0')
    + 'green:\n  apim-1: { address: 10.30.1.21 }  # the new hardware\n  gw-1: { name: gw-1b, address: 10.30.2.21 }\n';
  const partners = [{ blue: 'apim-1', name: 'apim-1-green', address: '10.30.1.21' }, { blue: 'gw-1', name: 'gw-1b', address: '10.30.2.21' }];
  const out = migratedInventoryText({ text, id: ID, to: '4.6.0', partners, databases: SWITCHED.databases, defaults: { apim_db: 'apim_db', shared_db: 'shared_db' } });
  const data = parse(out) as Record<string, any>;
  it('puts green\'s hosts in blue\'s places, at the target version, on the green databases, without the green section', () => {
    expect(data['apim'].version).toBe('4.6.0');
    expect(Object.keys(data['hosts'])).toEqual(['apim-1-green', 'apim-2', 'gw-1b', 'gw-2', 'lb-1', 'db-1']);
    expect(data['hosts']['gw-1b']).toEqual({ address: '10.30.2.21' });
    expect(data['roles']).toMatchObject({ 'all-in-one': ['apim-1-green', 'apim-2'], gateway: ['gw-1b', 'gw-2'], database: ['db-1'] });
    expect(data['vars'].database).toMatchObject({ host: 'db-1', apim_db: 'apim_db_460', shared_db: 'shared_db_460' });
    expect(data['green']).toBeUndefined();
  });
  it('keeps the comments and says where it came from', () => {
    expect(out).toContain('# Pattern 2: an HA pair of all-in-one nodes');
    expect(out).toContain('# The packs ship no JDBC driver');
    expect(out).toMatch(/# Migrated to 4\.6\.0 by apim-deploy migrate --finish \(4\.5\.0-to-4\.6\.0-20261202T084700Z\)/);
  });
  it('is named beside the inventory, so its relative paths still hold', () => {
    expect(migratedInventoryFile('inventories/eu.yaml')).toBe('inventories/eu.migrated.yaml');
    expect(migratedInventoryFile('/x/inv')).toBe('/x/inv.migrated.yaml');
  });
});

describe('after finish: provision, plan and upgrade of the inventory that still describes blue', () => {
  it('are refused, naming the migrated inventory; the migrated one (at the target version) is not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'finish-'));
    const inv = join(dir, 'inv.yaml');
    const mdir = join(dir, '.apim-deploy', 'migrations', ID);
    mkdirSync(mdir, { recursive: true });
    expect(() => refuseFinishedMigration({ file: inv, apim: { version: '4.5.0' } as never }, 'provision')).not.toThrow();
    writeRecord(mdir, { ...SWITCHED, inventory: inv, steps: [], phases: [] } as never, SWITCHED.phasesDone);
    expect(finishedMigrationOf({ file: inv, apim: { version: '4.5.0' } as never })).toBeNull();
    markFinished(mdir, readRecord(mdir)!, join(dir, 'inv.migrated.yaml'));
    let thrown: unknown;
    try { refuseFinishedMigration({ file: inv, apim: { version: '4.5.0' } as never }, 'provision'); } catch (e) { thrown = e; }
    expect(thrown).toBeInstanceOf(UsageError);
    expect((thrown as UsageError).message).toMatch(/provision refused: migration .* finished .*still describes blue at 4\.5\.0/);
    expect((thrown as UsageError).hint).toContain(join(dir, 'inv.migrated.yaml'));
    expect(() => refuseFinishedMigration({ file: join(dir, 'inv.migrated.yaml'), apim: { version: '4.6.0' } as never }, 'provision')).not.toThrow();
  });
});
