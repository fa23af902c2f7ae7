import { posix } from 'node:path';
import type { ResolvedMigration } from '../../catalog/migration.js';
import type { HostName } from '../../model/inventory.js';
import type { MigrationPhase } from '../../model/migration.js';
import type { Step } from '../../model/plan.js';
import { STATE_DIR } from '../../topology/layout.js';
import type { VersionStep } from './versions.js';

/** A migration script the target pack carries, uploaded to the database host and run on one green database. */
export interface MigrationScript {
  readonly step: VersionStep;
  /** The blue database name it migrates (its green copy is what it runs on). */
  readonly database: string;
  /** Path inside the pack, for the reader. */
  readonly source: string;
  readonly sha256: string;
}

export interface DatabasePhasesInput {
  readonly id: string;
  readonly from: string;
  readonly host: HostName;
  readonly commands: ResolvedMigration;
  /** Blue name → green name, in the order the databases are handled. */
  readonly databases: readonly { readonly blue: string; readonly green: string }[];
  readonly scripts: readonly MigrationScript[];
  /** Controller directory the backups are copied to. */
  readonly controllerDir: string;
  /** Markers a run already wrote on the database host: a script whose step is done is not uploaded again. */
  readonly done: ReadonlySet<string>;
}

/** Where a migration keeps its backups, scripts and markers on the database host. */
export const migrationDir = (id: string): string => `${STATE_DIR}/migrations/${id}`;

const base = (host: HostName, id: string, reason: string, after: readonly string[] = []) =>
  ({ id, host, reason, certainty: 'certain' as const, after });

/**
 * Backup, green databases and schema scripts: run-once steps whose markers on the database host record how far a
 * migration got, so an interrupted run leaves blue's databases as they were and a re-run continues.
 */
export function databasePhases(p: DatabasePhasesInput): MigrationPhase[] {
  const dir = migrationDir(p.id);
  const stamp = p.id.slice(p.id.lastIndexOf('-') + 1);
  const backupOf = (db: string): string => `${dir}/${db}-${p.from}-${stamp}.${p.commands.backupExtension}`;
  const once = (name: string, argv: readonly string[], marker: string, reason: string, after: readonly string[] = [], doneCheck?: readonly string[]): Step => ({
    ...base(p.host, `${p.host}/run-once/migrate-${marker}`, reason, after), kind: 'run-once', name, argv, marker: `${dir}/${marker}.done`,
    ...(doneCheck ? { doneCheck } : {}),
  });
  // A marker already found there means the folder exists, made by an earlier run of this migration.
  const backup: Step[] = [
    ...(p.done.size > 0 ? [] : [{ ...base(p.host, `${p.host}/ensure-dir/${dir}`, 'holds the backups and the migration markers'), kind: 'ensure-dir' as const, paths: [dir], mode: '0700', owner: p.commands.backupOwner }]),
    ...p.databases.flatMap(({ blue }): Step[] => [
      once(`back up ${blue}`, p.commands.backup(blue, backupOf(blue)), `backup-${blue}`, `${blue} as blue holds it (${p.from}); blue keeps serving`),
      { ...base(p.host, `${p.host}/fetch-file/${backupOf(blue)}`, 'a copy off the database host', [`${p.host}/run-once/migrate-backup-${blue}`]),
        kind: 'fetch-file', path: backupOf(blue), localPath: posix.join(p.controllerDir, posix.basename(backupOf(blue))) },
    ]),
  ];
  const green: Step[] = p.databases.flatMap(({ blue, green: g }) => [
    once(`create ${g}`, p.commands.create(g), `create-${g}`, `green copy of ${blue}; blue's database is not touched`),
    once(`restore ${g} from the backup of ${blue}`, p.commands.restore(g, backupOf(blue)), `restore-${g}`, 'the data blue held at the backup'),
  ]);
  const stepDir = (s: (typeof p.scripts)[number]): string => `${dir}/scripts/${s.step.from}-to-${s.step.to}`;
  const scripts = p.scripts.map((s, i) => {
    const g = p.databases.find((d) => d.blue === s.database)?.green ?? s.database;
    const marker = `schema-${s.step.to}-${i}-${g}`;
    return { s, g, marker, remote: `${stepDir(s)}/${i}-${posix.basename(s.source)}`, done: p.done.has(`${dir}/${marker}.done`) };
  });
  // The transport writes into existing folders only: one folder per version step, created before its scripts. Both
  // belong to the backup's owner, who owns the migration folder (the transport writes nobody else's files under a
  // folder another user controls) and runs psql on them. A script whose step is done needs neither again.
  const scriptDirs: Step[] = [...new Set(scripts.filter((x) => !x.done).map((x) => stepDir(x.s)))].map((d) => (
    { ...base(p.host, `${p.host}/ensure-dir/${d}`, 'holds the migration scripts of one version step'), kind: 'ensure-dir', paths: [d], mode: '0700', owner: p.commands.backupOwner }
  ));
  const schema: Step[] = [...scriptDirs, ...scripts.flatMap(({ s, g, marker, remote, done }): Step[] => {
    // The script records itself in the green database in its own transaction; the record outlives a lost marker.
    const record = `${p.id}/${marker}`;
    const upload: Step = { ...base(p.host, `${p.host}/upload-file/${remote}`, `from the ${s.step.to} pack: ${s.source}`, [`${p.host}/ensure-dir/${stepDir(s)}`]),
      kind: 'upload-file', path: remote, mode: '0600', owner: p.commands.backupOwner, sha256: s.sha256, expectSha256: null, secret: false };
    return [
      ...(done ? [] : [upload]),
      once(`migrate ${g}: ${s.step.from} → ${s.step.to} (${posix.basename(s.source)})`, p.commands.script(g, remote, record), marker, `schema step ${s.step.from} → ${s.step.to}, in order`,
        done ? [] : [upload.id], p.commands.scriptDone(g, record)),
    ];
  })];
  return [
    { name: 'backup', title: `back up blue's databases on ${p.host} and copy them to the controller`, steps: backup, outline: [] },
    { name: 'green-databases', title: 'create the green databases from the backup', steps: green, outline: [] },
    { name: 'schema', title: 'run the migration scripts on the green databases, version step by version step', steps: schema,
      outline: p.scripts.length === 0 ? ['the target pack carries no migration scripts for these version steps: the green databases keep the schema of the backup'] : [] },
  ];
}
