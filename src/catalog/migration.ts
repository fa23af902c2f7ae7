import { InternalError } from '../errors.js';
import type { DatabaseName, MigrationCommands, RoleDefinition } from '../model/role.js';
import { nodePlaceholders, whenFacts, type RuntimeNode } from './node-placeholders.js';
import { fillArgv, type PlaceholderName } from './placeholders.js';
import { matches } from './when.js';

/** The database role's `migration` commands for one database node, placeholders filled but the per-call ones. */
export interface ResolvedMigration {
  readonly backupExtension: string;
  readonly backupOwner: string;
  backup(fromDatabase: string, backupFile: string): string[];
  create(toDatabase: string): string[];
  restore(toDatabase: string, backupFile: string): string[];
  /** `record` names the step in the database's own record, written in the script's transaction. */
  script(toDatabase: string, scriptFile: string, record: string): string[];
  scriptDone(toDatabase: string, record: string): string[];
  /** Path inside the target pack (below its top directory) of a version step's script for one database. */
  scriptIn(database: DatabaseName, step: { readonly from: string; readonly to: string }): string;
}

/**
 * A step record goes into SQL as a string literal (role.yaml `script`): it is built by the planner from the migration
 * id, versions and database names, and only these characters may reach the SQL, so no escaping can be got wrong.
 */
const RECORD = /^[A-Za-z0-9._\/-]+$/;
function stepRecord(record: string): string {
  if (!RECORD.test(record)) throw new InternalError(`migration step record ${JSON.stringify(record)} has characters a SQL literal would need escaped`);
  return record;
}

/** The first `migration` entry whose `when` matches the node; undefined: this database type cannot migrate yet. */
export function resolveMigration(role: RoleDefinition, node: RuntimeNode): ResolvedMigration | undefined {
  const spec: MigrationCommands | undefined = role.migration.find((m) => matches(m.when, whenFacts(node)));
  if (!spec) return undefined;
  const base = nodePlaceholders(role, node, null);
  const fill = (argv: readonly string[], extra: Partial<Record<PlaceholderName, string>>): string[] =>
    fillArgv(argv, { ...base, values: { ...base.values, ...extra } });
  return {
    backupExtension: spec.backupExtension,
    backupOwner: spec.backupOwner,
    backup: (from, file) => fill(spec.backup, { from_database: from, backup: file }),
    create: (to) => fill(spec.create, { to_database: to }),
    restore: (to, file) => fill(spec.restore, { to_database: to, backup: file }),
    script: (to, file, record) => fill(spec.script, { to_database: to, script: file, step_record: stepRecord(record) }),
    scriptDone: (to, record) => fill(spec.scriptDone, { to_database: to, step_record: stepRecord(record) }),
    scriptIn: (db, step) => fill([spec.scripts[db]], { step_from: step.from, step_to: step.to })[0]!,
  };
}
