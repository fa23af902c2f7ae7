/**
 * The database migration scripts a simulated pack carries, laid out as WSO2's migration resources are:
 * `<APIM_HOME>/migration-resources/migration-scripts/pre-migration-scripts/migration-<from>_to_<to>/<vendor>.sql`
 * (wso2-extensions/apim-migration-resources: Utility.PRE_MIGRATION_SCRIPT_DIR, V410Migration; docs-apim
 * upgrading-from-400-to-410.md copies migration-resources/ into <API-M_HOME>). That is the apim_db script; the lab
 * adds `shared_db/<vendor>.sql` beside it (the real shared_db/registry steps are post-migration scripts and the
 * identity migration, which the sources read do not lay out for 4.5/4.6). A pack of version V carries every step
 * between the releases up to V, so a database of any older 4.x release can be walked to V one step at a time.
 */
import type { ArchiveEntry } from './archive-entry.js';
import { fillTemplate } from './template.js';

/** API Manager 4.x releases in order (product-apim tags v4.0.0 … v4.7.0). */
export const RELEASES: readonly string[] = ['4.0.0', '4.1.0', '4.2.0', '4.3.0', '4.4.0', '4.5.0', '4.6.0', '4.7.0'];

export const MIGRATION_SCRIPTS_DIR = 'migration-resources/migration-scripts/pre-migration-scripts';
export const MIGRATION_VENDORS = ['postgresql', 'mysql'] as const;

/** Path inside the pack (under its top directory) of one step's script for one database and vendor. */
export function migrationScriptPath(from: string, to: string, database: 'apim_db' | 'shared_db', vendor: string): string {
  const step = `${MIGRATION_SCRIPTS_DIR}/migration-${from}_to_${to}`;
  return database === 'apim_db' ? `${step}/${vendor}.sql` : `${step}/shared_db/${vendor}.sql`;
}

/** Consecutive release pairs ending at `version` (none for a version not in RELEASES or the first one). */
export function stepsUpTo(version: string): [string, string][] {
  const end = RELEASES.indexOf(version);
  const steps: [string, string][] = [];
  for (let i = 1; i <= end; i++) steps.push([RELEASES[i - 1]!, RELEASES[i]!]);
  return steps;
}

export function migrationEntries(top: string, version: string, templates: Readonly<Record<string, string>>): ArchiveEntry[] {
  const entries: ArchiveEntry[] = [];
  for (const [from, to] of stepsUpTo(version)) {
    for (const database of ['apim_db', 'shared_db'] as const) {
      for (const vendor of MIGRATION_VENDORS) {
        const text = fillTemplate(templates[vendor] ?? '', { FROM: from, TO: to, DATABASE: database });
        entries.push({ path: `${top}/${migrationScriptPath(from, to, database, vendor)}`, mode: 0o644, data: Buffer.from(text) });
      }
    }
  }
  return entries;
}
