import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRoleCatalog } from '../../src/catalog/roles.js';
import { Secret } from '../../src/model/secret.js';
import { renderNode } from '../../src/render/render-inventory.js';
import { buildNodeContext } from '../../src/topology/context.js';
import { loadExample } from '../unit/render/examples.js';
import { startPostgres, type Postgres } from './support/index.js';

/** The rendered create-databases.sql against a real, throwaway PostgreSQL 15 cluster (as the lab runs it). */
const PASSWORD = `it's a \\ "tricky" $$ pass;word -- ü`;
let server: Postgres | undefined;

beforeAll(async () => {
  server = await startPostgres();
});

afterAll(() => server?.stop());

describe('database setup SQL (PostgreSQL)', () => {
  it('creates the user and both databases, runs twice without error, and the password works', async () => {
    const inv = await loadExample('lab');
    const ctx = buildNodeContext(inv, loadRoleCatalog(), { host: 'db-1', role: 'database' });
    const tricky = { ...ctx, databaseServer: { ...ctx.databaseServer!, password: new Secret(PASSWORD, 'test') } };
    const file = renderNode(loadRoleCatalog().database, tricky).files.find((f) => f.dest.endsWith('create-databases.sql'))!;
    expect(file.secret).toBe(true);
    const sql = join(server!.dir, 'create.sql');
    writeFileSync(sql, file.content, { mode: 0o644 });
    for (let run = 0; run < 2; run++) server!.psql([...server!.superuser, '-d', 'postgres', '-f', sql]);
    for (const database of ['apim_db', 'shared_db']) {
      const client = new pg.Client({ host: '127.0.0.1', port: server!.port, user: 'apimadmin', password: PASSWORD, database });
      await client.connect();
      const owner = await client.query('SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1', [database]);
      await client.end();
      expect(owner.rows[0].owner).toBe('apimadmin');
    }
  });
});
