/**
 * provision, plan and upgrade refuse to run while the controller's record of a migration's switch disagrees with the
 * database host's (`switch.done`): they would render the wrong side into every balancer (docs/migrate.md, "The switch").
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors.js';
import type { Inventory } from '../../../src/model/inventory.js';
import { readRecord, recordClients, writeRecord } from '../../../src/workflows/migrate/record.js';
import { controllerMigrationDir } from '../../../src/workflows/migrate/scope.js';
import { adoptRecordedSwitch, refuseSwitchRecordMismatch } from '../../../src/workflows/migrate/switch-record-gate.js';
import { withOpenMigration } from '../../../src/workflows/migrate/traffic.js';
import { RecordingTransport } from '../../fakes/recording-transport.js';
import { loadExample } from '../render/examples.js';

const ID = '4.5.0-to-4.6.0-20261202T084700Z';
const MIGRATIONS = '/var/lib/apim-deploy/migrations';

/** The database host's migrations directory: `entries` in ID's directory (none: no migration there). */
function databaseHost(entries: readonly string[] | null): RecordingTransport {
  const t = new RecordingTransport('db-1', { strict: true, readOnly: true });
  t.on(new RegExp(`ls -1 -- ${MIGRATIONS}/${ID}$`), { stdout: (entries ?? []).map((e) => `${e}\n`).join('') });
  t.on(new RegExp(`ls -1 -- ${MIGRATIONS}$`), entries ? { stdout: `4.4.0-to-4.5.0-20250101T000000Z\n${ID}\n` } : { exitCode: 2, stderr: 'No such file or directory\n' });
  return t;
}

async function inventory(clients: 'green' | 'blue' | 'none'): Promise<Inventory> {
  const example = await loadExample('pattern-2');
  const file = join(mkdtempSync(join(tmpdir(), 'apim-gate-')), 'p2.yaml');
  const green = [{ blue: 'gw-1', name: 'gw-1-green', address: '10.30.9.11', pos: { file, line: 1, col: 1 } }];
  const inv: Inventory = { ...example, file, green, apim: { ...example.apim, version: '4.5.0' } };
  if (clients === 'none') return withOpenMigration(inv);
  const dir = controllerMigrationDir(file, ID);
  writeRecord(dir, { id: ID, inventory: file, from: '4.5.0', to: '4.6.0', steps: [{ from: '4.5.0', to: '4.6.0' }], window: 'accept-loss',
    databaseHost: inv.roles.database![0]!, databases: [], green, phases: [] }, ['backup', 'green-databases', 'schema', 'provision-green', 'verify-green']);
  if (clients === 'green') recordClients(dir, readRecord(dir)!, 'green', 'green');
  return withOpenMigration(inv);
}

/** The run's connections: the database host connected, or (`--limit` left it out) opened for the gate alone. */
function run(inv: Inventory, t: RecordingTransport | null, opened: RecordingTransport | null = null) {
  const db = inv.roles.database![0]!;
  const calls = { opened: 0, closed: 0 };
  const ctx = {
    inventory: inv, transports: new Map(t ? [[db, t]] : []),
    open: async (hosts: readonly { name: string }[]) => {
      calls.opened += hosts.length;
      return { transports: new Map(opened ? [[db, opened]] : []), unreachable: new Map(), close: async () => { calls.closed++; } };
    },
  };
  return { ctx, calls };
}
const gate = async (inv: Inventory, t: RecordingTransport) => refuseSwitchRecordMismatch(run(inv, t).ctx, 'p2.yaml', 'provision');

describe('the switch record gate', () => {
  it('passes when both say green, or both blue, or when no migration is open', async () => {
    await expect(gate(await inventory('green'), databaseHost(['backup.done', 'switch.done']))).resolves.toBeUndefined();
    await expect(gate(await inventory('blue'), databaseHost(['backup.done']))).resolves.toBeUndefined();
    await expect(gate(await inventory('none'), databaseHost(null))).resolves.toBeUndefined();
    // A finished (or abandoned) migration on the host says nothing about clients now.
    await expect(gate(await inventory('none'), databaseHost(['switch.done', 'finished']))).resolves.toBeUndefined();
  });

  it('refuses when the database host records the switch and this controller has no record, or one that says blue', async () => {
    for (const clients of ['none', 'blue'] as const) {
      const err = await gate(await inventory(clients), databaseHost(['backup.done', 'switch.done'])).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).message).toMatch(new RegExp(`^provision refused: .+ records that migration ${ID} switched clients to green`));
      expect((err as UsageError).message).toContain(clients === 'none' ? 'is missing (' : 'says clients are on blue');
      expect((err as UsageError).message).toContain('Nothing was changed on any host.');
      expect((err as UsageError).hint).toContain(`apim-deploy migrate -i p2.yaml --to 4.6.0 --accept-write-loss --until switch`);
    }
  });

  it('refuses when this controller says green and the database host has no switch (rolled back or finished elsewhere)', async () => {
    const rolledBack = await gate(await inventory('green'), databaseHost(['backup.done'])).catch((e: unknown) => e);
    expect((rolledBack as UsageError).message).toMatch(/says clients are on green, but .+ has no switch\.done for .+ \(rolled back from another controller\?\)/);
    expect((rolledBack as UsageError).hint).toContain('apim-deploy migrate -i p2.yaml --to 4.6.0 --rollback');
    const finished = await gate(await inventory('green'), databaseHost(['switch.done', 'finished'])).catch((e: unknown) => e);
    expect((finished as UsageError).message).toMatch(/holds no unfinished migration from 4\.5\.0/);
  });

  it('asks nothing without green partners; connects to a database host --limit left out for the check alone, and closes it', async () => {
    const inv = await inventory('green');
    const none = run({ ...inv, green: [] }, null);
    await expect(refuseSwitchRecordMismatch(none.ctx, 'p2.yaml', 'provision')).resolves.toBeUndefined();
    expect(none.calls.opened).toBe(0);
    const limited = run(await inventory('none'), null, databaseHost(['backup.done', 'switch.done']));
    await expect(refuseSwitchRecordMismatch(limited.ctx, 'p2.yaml', 'provision')).rejects.toThrow(/records that migration .+ switched clients to green/);
    expect(limited.calls).toEqual({ opened: 1, closed: 1 });
    // Unreachable for the check too: not checked (the run's own hosts are what it changes).
    const unreachable = run(inv, null, null);
    await expect(refuseSwitchRecordMismatch(unreachable.ctx, 'p2.yaml', 'provision')).resolves.toBeUndefined();
    expect(unreachable.calls).toEqual({ opened: 1, closed: 1 });
  });

  it('migrate from a controller without the switch\'s record takes it from the database host\'s switch.done before any phase', async () => {
    const inv = await inventory('blue');
    const dir = controllerMigrationDir(inv.file, ID);
    const db = inv.roles.database![0]!;
    const notices: string[] = [];
    const plan = { id: ID, databaseHost: db };
    await adoptRecordedSwitch({ transports: new Map([[db, databaseHost(['backup.done'])]]) }, plan, dir, (n) => notices.push(n));
    expect(readRecord(dir)!.clients, 'not switched on the host: nothing recorded').toBeUndefined();
    await adoptRecordedSwitch({ transports: new Map([[db, databaseHost(['backup.done', 'switch.done'])]]) }, plan, dir, (n) => notices.push(n));
    expect(readRecord(dir)).toMatchObject({ clients: 'green', phasesDone: ['backup', 'green-databases', 'schema', 'provision-green', 'verify-green'] });
    expect(notices).toEqual([`${db} records the switch of ${ID} (switch.done): recorded here, clients on green`]);
    expect(withOpenMigration({ ...inv, traffic: undefined }).traffic).toBe('green');
  });
});
