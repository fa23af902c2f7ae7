/** The files under sim/ that go into the archives, read once per build. */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MIGRATION_VENDORS } from './migration-entries.js';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SIM_ROOT = join(PROJECT_ROOT, 'sim');

export interface SimSources {
  readonly startScript: string;
  readonly profileSetup: string;
  /** sim/java/SimTls.java and the stand-in JDBC driver template, compiled by java-artifacts.ts. */
  readonly simTlsJava: string;
  readonly driverTemplate: string;
  readonly conf: Readonly<Record<string, string>>;
  /** dbscripts/…: text with an @VERSION@ placeholder (the schema version they record, sim/rules/schema-versions.ts). */
  readonly dbscripts: Readonly<Record<string, string>>;
  /** One migration step's script per vendor, with @FROM@, @TO@, @DATABASE@ (migration-entries.ts). */
  readonly migration: Readonly<Record<string, string>>;
  /** repository/resources/security/*.jks, made with keytool by sim/resources/security/make-keystores.sh. */
  readonly keystores: Readonly<Record<string, Buffer>>;
}

const CONFS = ['all-in-one', 'control-plane', 'gateway', 'key-manager', 'traffic-manager'];
const DBSCRIPTS = ['postgresql.sql', 'mysql.sql', 'apimgt/postgresql.sql', 'apimgt/mysql.sql'];
const KEYSTORES = ['wso2carbon.jks', 'client-truststore.jks'];

export async function readSimSources(): Promise<SimSources> {
  const text = (p: string): Promise<string> => readFile(join(SIM_ROOT, p), 'utf8');
  const conf: Record<string, string> = {};
  for (const name of CONFS) conf[name] = await text(`pack/conf/${name}.toml`);
  const dbscripts: Record<string, string> = {};
  for (const p of DBSCRIPTS) dbscripts[p] = await text(`pack/dbscripts/${p}`);
  const migration: Record<string, string> = {};
  for (const vendor of MIGRATION_VENDORS) migration[vendor] = await text(`pack/migration/${vendor}.sql`);
  const keystores: Record<string, Buffer> = {};
  for (const name of KEYSTORES) keystores[name] = await readFile(join(SIM_ROOT, 'resources', 'security', name));
  return {
    startScript: await text('scripts/carbon-start.sh'),
    profileSetup: await text('scripts/profileSetup.sh'),
    simTlsJava: await text('java/SimTls.java'),
    driverTemplate: await text('java/StandInDriver.java.template'),
    conf,
    dbscripts,
    migration,
    keystores,
  };
}
