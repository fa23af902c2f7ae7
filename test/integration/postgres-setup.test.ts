import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRoleCatalog } from '../../src/catalog/roles.js';
import { Secret } from '../../src/model/secret.js';
import { renderNode } from '../../src/render/render-inventory.js';
import { buildNodeContext } from '../../src/topology/context.js';
import { loadExample } from '../unit/render/examples.js';

/** The rendered create-databases.sql against a real, throwaway PostgreSQL 15 cluster (as the lab runs it). */
const BIN = '/usr/lib/postgresql/15/bin';
const PASSWORD = `it's a \\ "tricky" $$ pass;word -- ü`;
let dir = '';
let port = 0;
const asPostgres = (cmd: string, args: string[]) =>
  spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' });

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'apim-pg-'));
  chmodSync(dir, 0o755);
  chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), 0);
  port = await freePort();
  const init = asPostgres(`${BIN}/initdb`, ['-D', `${dir}/data`, '-A', 'peer', '--auth-host=scram-sha-256', '-U', 'postgres']);
  expect(init.status, init.stderr).toBe(0);
  const start = asPostgres(`${BIN}/pg_ctl`, ['-D', `${dir}/data`, '-l', `${dir}/log`, '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']);
  expect(start.status, start.stderr).toBe(0);
}, 60_000);

afterAll(() => {
  asPostgres(`${BIN}/pg_ctl`, ['-D', `${dir}/data`, '-m', 'fast', 'stop']);
  rmSync(dir, { recursive: true, force: true });
});

describe('database setup SQL (PostgreSQL)', () => {
  it('creates the user and both databases, runs twice without error, and the password works', async () => {
    const inv = await loadExample('lab');
    const ctx = buildNodeContext(inv, loadRoleCatalog(), { host: 'db-1', role: 'database' });
    const tricky = { ...ctx, databaseServer: { ...ctx.databaseServer!, password: new Secret(PASSWORD, 'test') } };
    const file = renderNode(loadRoleCatalog().database, tricky).files.find((f) => f.dest.endsWith('create-databases.sql'))!;
    expect(file.secret).toBe(true);
    const sql = join(dir, 'create.sql');
    writeFileSync(sql, file.content, { mode: 0o644 });
    for (let run = 0; run < 2; run++) {
      const r = asPostgres('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', dir, '-p', String(port), '-d', 'postgres', '-f', sql]);
      expect(r.status, r.stderr).toBe(0);
    }
    for (const database of ['apim_db', 'shared_db']) {
      const client = new pg.Client({ host: '127.0.0.1', port, user: 'apimadmin', password: PASSWORD, database });
      await client.connect();
      const owner = await client.query('SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1', [database]);
      await client.end();
      expect(owner.rows[0].owner).toBe('apimadmin');
    }
  });
});
