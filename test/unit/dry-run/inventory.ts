import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDistributions } from '../../../src/lab/dist/build.js';

export const OLD_ADMIN = 'Adm1n-Sekr1t-Old';
export const NEW_ADMIN = 'Adm1n-Sekr1t-New';
export const DB_PASSWORD = 'Db-Sekr1t-Pw';

/** Pattern 2 on three hosts: all-in-one with its database, one gateway, nginx. */
export function inventoryYaml(dist: string, extra: { gwVars?: string } = {}): string {
  return `name: t-dry
pattern: 2
apim:
  version: 4.6.0
  distributions:
    all-in-one: { path: "${dist}/wso2am-{version}.zip" }
    universal-gw: { path: "${dist}/wso2am-universal-gw-{version}.zip" }
  jdk: { path: ${dist}/jdk-17.tar.gz }
  jdbc_driver: { path: ${dist}/jdbc-postgresql-sim.jar }
vars:
  admin_password: \${ADMIN_PASSWORD}
  database: { type: postgresql, host: aio-1, user: apim, password: "\${DB_PASSWORD}" }
  jvm_heap: 256m
hosts:
  aio-1: { address: 10.213.220.11 }
  gw-1: { address: 10.213.220.12${extra.gwVars ? `, vars: { ${extra.gwVars} }` : ''} }
  lb-1: { address: 10.213.220.13 }
roles:
  database: [aio-1]
  all-in-one: [aio-1]
  gateway: [gw-1]
  load-balancer: [lb-1]
`;
}

export interface Workspace {
  readonly dir: string;
  readonly inventory: string;
  write(opts?: { admin?: string; gwVars?: string }): void;
  remove(): void;
}

/** A temp dir with the simulated distributions and an inventory (+ .env) that can be rewritten per test. */
export async function workspace(): Promise<Workspace> {
  const dir = mkdtempSync(join(tmpdir(), 'apim-dry-'));
  await buildDistributions({ version: '4.6.0', outDir: join(dir, 'dist') });
  const inventory = join(dir, 'inv.yaml');
  const write = (opts: { admin?: string; gwVars?: string } = {}) => {
    writeFileSync(inventory, inventoryYaml(join(dir, 'dist'), opts.gwVars ? { gwVars: opts.gwVars } : {}));
    writeFileSync(join(dir, 'inv.env'), `ADMIN_PASSWORD=${opts.admin ?? OLD_ADMIN}\nDB_PASSWORD=${DB_PASSWORD}\n`);
  };
  write();
  return { dir, inventory, write, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
