/** Inventories a test writes as a fixed head plus its own body, loaded as validate loads them (x.env beside them). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, formatIssue } from '../../../src/errors.js';
import { loadInventory } from '../../../src/inventory/load.js';
import type { Inventory } from '../../../src/model/inventory.js';

/** One all-in-one node (pattern 0) with its admin password; `vars:` comes last, so a body adds variables. */
export const ALL_IN_ONE_HEAD = `name: t
apim: { version: 4.6.0, distributions: { all-in-one: { path: a.zip } }, jdk: { path: j.tgz } }
pattern: 0
hosts:
  aio-1: { address: 10.0.0.2 }
roles: { all-in-one: [aio-1] }
vars:
  admin_password: \${ADMIN_PASSWORD}
`;

export function writtenInventories(dir: string, head: string) {
  let n = 0;
  const write = (body: string): string => {
    const file = join(dir, `inv-${n++}.yaml`);
    writeFileSync(file, head + body);
    return file;
  };
  const load = (body: string): Promise<Inventory> => loadInventory(write(body), { envFile: join(dir, 'x.env'), requireArtifacts: false });
  /** The issues a load reports, as validate prints them (the file shown as inv.yaml). */
  const issues = async (body: string): Promise<string[]> => {
    const err = await load(body).catch((e: unknown) => e);
    if (!(err instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(err)}`);
    return err.issues.map((i) => formatIssue({ ...i, file: 'inv.yaml' }));
  };
  return { write, load, issues };
}
