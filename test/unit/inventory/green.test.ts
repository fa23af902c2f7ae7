import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writtenInventories } from './written-inventory.js';

const dir = mkdtempSync(join(tmpdir(), 'inv-green-'));
writeFileSync(join(dir, 'x.env'), 'ADMIN_PASSWORD=pw-admin\nDB_PASSWORD=pw-db\n');

const HEAD = `name: t
pattern: 2
apim: { version: 4.5.0, distributions: { acp: { path: a.zip }, universal-gw: { path: g.zip }, all-in-one: { path: w.zip } }, jdk: { path: j.tgz }, jdbc_driver: { path: d.jar } }
roles: { all-in-one: [aio-1], gateway: [gw-1], load-balancer: [lb-1], database: [db-1] }
vars:
  admin_password: \${ADMIN_PASSWORD}
  database: { type: postgresql, host: db-1, user: apim, password: "\${DB_PASSWORD}" }
hosts:
  aio-1: { address: 10.0.0.1 }
  gw-1: { address: 10.0.0.2 }
  lb-1: { address: 10.0.0.4 }
  db-1: { address: 10.0.0.5 }
`;
const { load, issues } = writtenInventories(dir, HEAD);

describe('green: the hosts migrate runs the new version on', () => {
  it('normalises one partner per WSO2 host, named <blue>-green unless named', async () => {
    const inv = await load('green:\n  aio-1: { address: 10.0.1.1 }\n  gw-1: { name: gw-9, address: 10.0.1.2 }\n');
    expect(inv.green?.map((g) => `${g.blue}>${g.name}@${g.address}:${g.pos.line}`)).toEqual(['aio-1>aio-1-green@10.0.1.1:14', 'gw-1>gw-9@10.0.1.2:15']);
    expect(inv.hosts.map((h) => h.name)).toEqual(['aio-1', 'gw-1', 'lb-1', 'db-1']);
  });

  it('an inventory without green: has none', async () => {
    expect((await load('')).green).toBeUndefined();
  });

  it('refuses, at file:line, a partner for the database or balancer, an unknown host, a taken name or address, and a missing partner', async () => {
    expect(await issues(`green:
  aio-1: { address: 10.0.0.2 }
  db-1: { address: 10.0.1.5 }
  gw-2: { address: 10.0.1.3 }
  lb-1: { name: aio-1, address: 10.0.1.4 }
`)).toEqual([
      "inv.yaml:14:21: green.aio-1.address: address 10.0.0.2 is taken by host 'gw-1': green runs on other machines than blue (see docs/migrate.md)",
      "inv.yaml:15:3: green.db-1: host 'db-1' plays database: green needs no partner for it (the database server holds the green databases, the same balancers switch)",
      "inv.yaml:16:3: green.gw-2: unknown host 'gw-2' (did you mean 'gw-1'?): green partners are for the hosts that run WSO2 roles (aio-1, gw-1)",
      "inv.yaml:17:3: green.lb-1: host 'lb-1' plays load-balancer: green needs no partner for it (the database server holds the green databases, the same balancers switch)",
      'inv.yaml:13:1: green: every host that runs WSO2 roles needs a green partner; missing: gw-1',
    ]);
  });

  it('refuses two partners with one name', async () => {
    expect(await issues('green:\n  aio-1: { name: g, address: 10.0.1.1 }\n  gw-1: { name: g, address: 10.0.1.2 }\n'))
      .toEqual(["inv.yaml:15:17: green.gw-1.name: green host name 'g' is already the partner of 'aio-1': give each green host its own name"]);
  });
});
