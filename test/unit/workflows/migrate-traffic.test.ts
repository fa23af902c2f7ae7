/**
 * Where the balancers send clients during a migration (docs/migrate.md "The switch"): the controller's record, the
 * traffic every run derives from it, and what each balancer renders from that. A multi-datacenter estate moves
 * datacenter by datacenter, so the record can name the datacenters on green while the others still serve blue.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MigrationPlan } from '../../../src/model/migration.js';
import { clientsOnGreen, trafficOf, type Inventory } from '../../../src/model/inventory.js';
import { markAbandoned, markFinished, readRecord, recordClients, recordedTraffic, writeRecord, type MigrationRecord } from '../../../src/workflows/migrate/record.js';
import { controllerMigrationDir } from '../../../src/workflows/migrate/scope.js';
import { withOpenMigration } from '../../../src/workflows/migrate/traffic.js';
import { greenInventory } from '../../../src/inventory/green-inventory.js';
import { defaultRoleCatalog } from '../../../src/catalog/roles.js';
import { renderInventory } from '../../../src/render/render-inventory.js';
import { loadExample } from '../render/examples.js';

const PHASES = ['backup', 'green-databases', 'schema', 'provision-green', 'verify-green'] as const;
const record = (extra: Partial<MigrationRecord> = {}): MigrationRecord => ({
  id: '4.5.0-to-4.6.0-20261202T084700Z', from: '4.5.0', to: '4.6.0', window: 'accept-loss', databaseHost: 'eu-db',
  databases: [{ blue: 'apim_db', green: 'apim_db_460' }], green: [], phasesDone: [...PHASES], updatedAt: '2026-12-02T09:00:00Z', ...extra,
});

describe('traffic during a migration', () => {
  it('is green in a datacenter when every balancer is, or when the record names that datacenter', () => {
    expect(clientsOnGreen('green', null)).toBe(true);
    expect(clientsOnGreen('green', 'ap')).toBe(true);
    expect(clientsOnGreen({ green: ['eu'] }, 'eu')).toBe(true);
    expect(clientsOnGreen({ green: ['eu'] }, 'ap')).toBe(false);
    expect(clientsOnGreen({ green: ['eu'] }, null)).toBe(false);
    expect(clientsOnGreen(undefined, 'eu')).toBe(false);
    expect(trafficOf(['eu', 'ap'], new Set(['ap', 'eu']))).toBe('green');
    expect(trafficOf(['eu', 'ap'], new Set(['ap']))).toEqual({ green: ['ap'] });
    expect(trafficOf(['eu', 'ap'], new Set())).toBeUndefined();
  });

  it('the record follows a switch datacenter by datacenter and a rollback in reverse; the switch is a phase done only with every datacenter on green', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apim-traffic-'));
    const at = (s: string) => new Date(`2026-12-02T${s}Z`);
    const r0 = record();
    const eu = recordClients(dir, r0, { green: ['eu'] }, 'green', at('10:00:00'));
    expect(eu).toMatchObject({ greenDatacenters: ['eu'], switchedAt: '2026-12-02T10:00:00.000Z' });
    expect(eu.clients).toBeUndefined();
    expect(recordedTraffic(readRecord(dir))).toEqual({ green: ['eu'] });
    const all = recordClients(dir, { ...eu, phasesDone: [...PHASES, 'switch'] }, 'green', 'green', at('10:01:00'));
    expect(all).toMatchObject({ clients: 'green', phasesDone: [...PHASES, 'switch'] });
    expect(all.greenDatacenters).toBeUndefined();
    expect(recordedTraffic(all)).toBe('green');
    const back = recordClients(dir, all, { green: ['eu'] }, 'blue', at('11:00:00'));
    expect(back).toMatchObject({ greenDatacenters: ['eu'], phasesDone: [...PHASES], rolledBackAt: '2026-12-02T11:00:00.000Z' });
    const blue = recordClients(dir, back, undefined, 'blue', at('11:01:00'));
    expect(recordedTraffic(blue)).toBeUndefined();
    expect(blue.greenDatacenters).toBeUndefined();
    expect(blue.clients).toBeUndefined();
  });

  it('a re-run that rewrites the record keeps the datacenters on green', () => {
    const dir = mkdtempSync(join(tmpdir(), 'apim-traffic-'));
    recordClients(dir, record(), { green: ['eu'] }, 'green');
    const r = readRecord(dir)!;
    const plan: MigrationPlan = { id: r.id, inventory: '/inv/mdc.yaml', from: r.from, to: r.to, steps: [{ from: r.from, to: r.to }], window: r.window,
      databaseHost: r.databaseHost, databases: r.databases, green: [], phases: [] };
    writeRecord(dir, plan, PHASES);
    expect(recordedTraffic(readRecord(dir))).toEqual({ green: ['eu'] });
  });

  it('each balancer renders its own datacenter\'s side: eu on green, ap still on blue', async () => {
    const inv = await loadExample('multi-dc-active-passive');
    const wso2Hosts = [...new Set(inv.nodes.filter((n) => !['load-balancer', 'database'].includes(n.role)).map((n) => n.host))];
    const green = wso2Hosts.map((h, i) => ({ blue: h, name: `${h}-green`, address: `10.99.0.${i + 10}`, pos: { file: inv.file, line: 1, col: 1 } }));
    const withTraffic = (traffic: Inventory['traffic']): Inventory => ({ ...inv, green, ...(traffic ? { traffic } : {}) });
    const upstreamsOf = async (traffic: Inventory['traffic'], lb: string) => {
      const node = (await renderInventory(withTraffic(traffic))).find((n) => n.host === lb && n.role === 'load-balancer')!;
      return node.files.map((f) => `${f.path}\n${f.content}`).join('\n');
    };
    // nginx: the config holds both sides; the switch flag is rendered only where clients are on green.
    const euConf = await upstreamsOf({ green: ['eu'] }, 'eu-lb');
    const apConf = await upstreamsOf({ green: ['eu'] }, 'ap-lb');
    expect(euConf).toContain('/etc/nginx/apim-deploy-clients-on-green\n');
    expect(apConf).not.toContain('/etc/nginx/apim-deploy-clients-on-green\n');
    expect(euConf).not.toBe(await upstreamsOf(undefined, 'eu-lb'));
    expect(euConf).toBe(await upstreamsOf('green', 'eu-lb'));
    expect(apConf).toBe(await upstreamsOf(undefined, 'ap-lb'));
    expect(apConf).not.toBe(await upstreamsOf('green', 'ap-lb'));
  });

  it('while a migration is open, blue\'s inventory renders the database host as green\'s does: green keeps its grants through a plain provision', async () => {
    const example = await loadExample('multi-dc-active-passive');
    const file = join(mkdtempSync(join(tmpdir(), 'apim-traffic-')), 'mdc.yaml');
    const partners = ['eu-cp-1', 'eu-gw-1', 'ap-gw-1'].map((h, i) => ({ blue: h, name: `${h}-green`, address: `10.99.0.${i + 10}`, pos: { file, line: 1, col: 1 } }));
    // Blue at the version the migration starts from (the example names 4.6.0).
    const inv: Inventory = { ...example, file, green: partners, apim: { ...example.apim, version: '4.5.0' } };
    const r = record({ databases: [{ blue: 'apim_db', green: 'apim_db_460' }, { blue: 'shared_db', green: 'shared_db_460' }] });
    writeRecord(controllerMigrationDir(file, r.id), { id: r.id, inventory: file, from: r.from, to: r.to, steps: [{ from: r.from, to: r.to }], window: r.window,
      databaseHost: 'eu-db', databases: r.databases, green: partners, phases: [] }, PHASES);
    const pgHba = async (i: Inventory) => (await renderInventory(i)).find((n) => n.role === 'database')!.files.find((f) => f.path.endsWith('pg_hba.conf'))!.content;
    const blue = withOpenMigration(inv);
    const green = greenInventory({ blue, catalog: defaultRoleCatalog(), to: '4.6.0', databases: new Map(r.databases.map((d) => [d.blue, d.green])) });
    const blueFile = await pgHba(blue);
    expect(blueFile).toBe(await pgHba(green));
    for (const p of partners) expect(blueFile).toContain(`apim_db_460,shared_db_460    apimadmin    ${p.address}/32`);
    expect(blueFile).toContain('apim_db,shared_db    apimadmin    10.1.1.11/32');
    // After --abort green's hosts and databases are kept: while the inventory names the partners, they keep their
    // grants (green would otherwise lose its databases at blue's next provision); without `green:`, none.
    const dir = controllerMigrationDir(file, r.id);
    markAbandoned(dir, readRecord(dir)!);
    const abandoned = withOpenMigration(inv);
    expect(abandoned.traffic).toBeUndefined();
    expect(await pgHba(abandoned)).toBe(blueFile);
    expect(await pgHba(withOpenMigration({ ...inv, green: [] }))).not.toContain('apim_db_460');
    // A finished migration's record says nothing about the next one: its migrated inventory, moved over this file, is
    // at the version it migrated to, and a new `green:` there must not find its clients on green nor its grants.
    const next = join(mkdtempSync(join(tmpdir(), 'apim-traffic-')), 'mdc.yaml');
    const done = record({ clients: 'green', finishedAt: '2026-12-02T12:00:00Z' });
    writeRecord(controllerMigrationDir(next, done.id), { id: done.id, inventory: next, from: done.from, to: done.to, steps: [{ from: done.from, to: done.to }],
      window: done.window, databaseHost: 'eu-db', databases: done.databases, green: partners, phases: [] }, PHASES);
    const doneDir = controllerMigrationDir(next, done.id);
    recordClients(doneDir, readRecord(doneDir)!, 'green', 'green');
    const migrated: Inventory = { ...example, file: next, green: partners };
    expect(withOpenMigration({ ...migrated, apim: { ...example.apim, version: '4.5.0' } }).traffic, 'while it ran').toBe('green');
    markFinished(doneDir, readRecord(doneDir)!, next);
    expect(withOpenMigration({ ...migrated, apim: { ...example.apim, version: '4.5.0' } }).traffic, 'once finished').toBeUndefined();
    const after = withOpenMigration(migrated);
    expect(after.traffic).toBeUndefined();
    expect(await pgHba(after)).not.toContain('apim_db_460');
    // Without the record (an inventory as written) blue grants only its own nodes; before green is provisioned too
    // (the database host is not drifted while the database phases run).
    expect(await pgHba(inv)).not.toContain('apim_db_460');
    const early = join(mkdtempSync(join(tmpdir(), 'apim-traffic-')), 'mdc.yaml');
    writeRecord(controllerMigrationDir(early, r.id), { id: r.id, inventory: early, from: r.from, to: r.to, steps: [{ from: r.from, to: r.to }], window: r.window,
      databaseHost: 'eu-db', databases: r.databases, green: partners, phases: [] }, ['backup']);
    expect(await pgHba(withOpenMigration({ ...inv, file: early }))).not.toContain('apim_db_460');
  });
});
