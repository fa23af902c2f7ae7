import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { ResolvedMigration } from '../../catalog/migration.js';
import { ConfigError } from '../../errors.js';
import { inventoryAtVersion } from '../../inventory/at-version.js';
import type { Inventory } from '../../model/inventory.js';
import type { FileContent } from '../../model/plan.js';
import { DATABASE_NAMES, type DatabaseName } from '../../model/role.js';
import type { MigrationScript } from '../../planner/migration/database-phases.js';
import type { VersionStep } from '../../planner/migration/versions.js';
import { SCRIPT_SOURCES } from '../run/distribution-files.js';
import { entryFor, readEntry, zipEntries } from '../run/zip.js';

export interface ReadScripts {
  readonly scripts: readonly MigrationScript[];
  /** By sha256, for the upload steps. */
  readonly contents: ReadonlyMap<string, FileContent>;
  /** The pack they were read from. */
  readonly pack: string;
}

/**
 * Every version step's migration scripts, per database, from the target version's acp (or all-in-one) pack on
 * the controller; a step the pack does not carry is a ConfigError naming the path it looked for.
 */
export async function readMigrationScripts(inv: Inventory, to: string, steps: readonly VersionStep[], commands: ResolvedMigration,
  names: Readonly<Record<DatabaseName, string>>): Promise<ReadScripts> {
  const target = inventoryAtVersion(inv, to);
  const pack = SCRIPT_SOURCES.map((k) => target.apim.distributions[k]).find((a) => a !== undefined && existsSync(a.path));
  if (!pack) {
    throw new ConfigError(`no ${SCRIPT_SOURCES.join(' or ')} pack of ${to} on the controller: its migration scripts move the databases`, [],
      `build or download it where apim.distributions names it (with {version} in the path, the ${to} file is found by itself)`);
  }
  const entries = await zipEntries(pack.path);
  const scripts: MigrationScript[] = [];
  const contents = new Map<string, FileContent>();
  for (const step of steps) {
    for (const db of DATABASE_NAMES) {
      const source = commands.scriptIn(db, step);
      const entry = entryFor(entries, source);
      if (!entry) throw new ConfigError(`${pack.path} carries no ${source}: it cannot migrate ${step.from} → ${step.to}`);
      const content = (await readEntry(pack.path, entry)).toString('utf8');
      const sha256 = createHash('sha256').update(content).digest('hex');
      contents.set(sha256, { sha256, content, secret: false });
      scripts.push({ step, database: names[db], source, sha256 });
    }
  }
  return { scripts, contents, pack: pack.path };
}
