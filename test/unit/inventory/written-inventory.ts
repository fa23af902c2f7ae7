/** Inventories a test writes as a fixed head plus its own body, loaded as validate loads them (x.env beside them). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, formatIssue } from '../../../src/errors.js';
import { loadInventory } from '../../../src/inventory/load.js';
import type { Inventory } from '../../../src/model/inventory.js';

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
