/** The files under sim/ that go into the archives, read once per build. */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const SIM_ROOT = join(PROJECT_ROOT, 'sim');

export interface SimSources {
  readonly startScript: string;
  readonly profileSetup: string;
  readonly java: string;
  readonly conf: Readonly<Record<string, string>>;
  readonly dbscripts: Readonly<Record<string, Buffer>>;
  readonly tlsKey: Buffer;
  readonly tlsCert: Buffer;
}

const CONFS = ['all-in-one', 'control-plane', 'gateway', 'key-manager', 'traffic-manager'];
const DBSCRIPTS = ['postgresql.sql', 'mysql.sql', 'apimgt/postgresql.sql', 'apimgt/mysql.sql'];

export async function readSimSources(): Promise<SimSources> {
  const text = (p: string): Promise<string> => readFile(join(SIM_ROOT, p), 'utf8');
  const conf: Record<string, string> = {};
  for (const name of CONFS) conf[name] = await text(`pack/conf/${name}.toml`);
  const dbscripts: Record<string, Buffer> = {};
  for (const p of DBSCRIPTS) dbscripts[p] = await readFile(join(SIM_ROOT, 'pack', 'dbscripts', p));
  return {
    startScript: await text('scripts/carbon-start.sh'),
    profileSetup: await text('scripts/profileSetup.sh'),
    java: await text('scripts/java.sh'),
    conf,
    dbscripts,
    tlsKey: await readFile(join(SIM_ROOT, 'resources', 'security', 'wso2carbon.key')),
    tlsCert: await readFile(join(SIM_ROOT, 'resources', 'security', 'wso2carbon.pem')),
  };
}
