/**
 * Schema versions in the simulated packs, on this machine with a real PostgreSQL 15 (no lab hosts): the dbscripts of
 * 4.5.0 record a 4.5.0 schema; a 4.6.0 control plane on it logs APIManagerComponent's ERROR and never becomes ready;
 * the 4.6.0 pack's migration step moves both databases to 4.6.0 (and refuses to run twice); then a 4.6.0 pack at an
 * update level starts, and a 4.5.0 node no longer does (sim/rules/schema-versions.ts).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDistributions } from '../../src/lab/dist/build.js';
import { alive, freePortOffset, runScript, startPostgres, tryGet, waitFor, waitForStatus, type Postgres } from './support/index.js';
import { endLocalRun } from './support/local-run.js';

const DB_PASSWORD = 'schema-db-pw-5';
const SCHEMA_ERROR = 'ERROR {org.wso2.carbon.apimgt.impl.internal.APIManagerComponent} - Error while initializing the API manager component';
const STEP = 'migration-resources/migration-scripts/pre-migration-scripts/migration-4.5.0_to_4.6.0';

const toml = (offset: number, pgPort: number): string => `
[server]
hostname = "127.0.0.1"
offset = ${offset}

[super_admin]
username = "admin"
password = "admin"
${['apim_db', 'shared_db'].map((db) => `
[database.${db}]
type = "postgre"
url = "jdbc:postgresql://127.0.0.1:${pgPort}/${db}"
username = "apimadmin"
password = "$env{APIM_DB_PASSWORD}"
`).join('')}
[apim.event_hub]
service_url = "https://localhost:\${mgt.transport.https.port}/services/"
`;

interface Node {
  readonly home: string;
  readonly offset: number;
}

describe('schema versions: a node starts only on its own version\'s schema; the packs\' migration steps move it', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  let pg: Postgres | undefined;
  const started = new Set<number>();

  const logOf = (n: Node): string => {
    const file = join(n.home, 'repository', 'logs', 'wso2carbon.log');
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  };
  const versionUrl = (n: Node): string => `http://127.0.0.1:${9763 + n.offset}/services/Version`;
  const schemaOf = (db: string): string => pg!.psql([...pg!.superuser, '-d', db, '-At', '-c', 'SELECT schema_version FROM lab_schema_version']).trim();

  /** Unpacks one acp zip with a PostgreSQL deployment.toml and the stand-in driver, as the orchestrator would. */
  const unpack = async (dist: string, zip: string, top: string, name: string): Promise<Node> => {
    execFileSync('unzip', ['-q', join(root, dist, zip), '-d', join(root, name)]);
    const home = join(root, name, top);
    const offset = await freePortOffset();
    writeFileSync(join(home, 'repository', 'conf', 'deployment.toml'), toml(offset, pg!.port));
    copyFileSync(join(root, dist, 'jdbc-postgresql-sim.jar'), join(home, 'repository', 'components', 'lib', 'jdbc-postgresql-sim.jar'));
    return { home, offset };
  };
  const start = async (n: Node): Promise<void> => {
    expect((await runScript(join(n.home, 'bin', 'api-cp.sh'), ['start'], env)).code).toBe(0);
    const pidFile = join(n.home, 'wso2carbon.pid');
    if (existsSync(pidFile)) started.add(Number(readFileSync(pidFile, 'utf8').trim()));
  };
  const stop = async (n: Node): Promise<void> => {
    const pid = Number(readFileSync(join(n.home, 'wso2carbon.pid'), 'utf8').trim());
    expect((await runScript(join(n.home, 'bin', 'api-cp.sh'), ['stop'], env)).code).toBe(0);
    await waitFor(`node pid ${pid} to exit`, () => !alive(pid));
  };
  const migrate = (n: Node, db: string, script: string): string =>
    pg!.psql(['-h', '127.0.0.1', '-p', String(pg!.port), '-U', 'apimadmin', '-1', '-d', db, '-f', join(n.home, STEP, script)], { PGPASSWORD: DB_PASSWORD });

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'sim-schema-'));
    await buildDistributions({ version: '4.5.0', outDir: join(root, 'dist-45') });
    await buildDistributions({ version: '4.6.0', outDir: join(root, 'dist-46') });
    await buildDistributions({ version: '4.6.0', updateLevel: 2, outDir: join(root, 'dist-46-u2') });
    mkdirSync(join(root, 'jdk'));
    execFileSync('tar', ['xzf', join(root, 'dist-46', 'jdk-17.tar.gz'), '-C', join(root, 'jdk'), '--strip-components=1']);
    env = { ...process.env, JAVA_HOME: join(root, 'jdk'), SIM_BOOT_DELAY_MS: '300', APIM_DB_PASSWORD: DB_PASSWORD };
    delete env['CARBON_HOME'];
    pg = await startPostgres('sim-schema');
    pg.psql([...pg.superuser, '-d', 'postgres', '-c', `CREATE ROLE apimadmin LOGIN PASSWORD '${DB_PASSWORD}'`]);
    for (const db of ['apim_db', 'shared_db']) pg.psql([...pg.superuser, '-d', 'postgres', '-c', `CREATE DATABASE ${db} OWNER apimadmin`]);
  }, 180_000);

  afterAll(() => endLocalRun(started, pg, root), 120_000);

  it('walks a 4.5.0 schema to 4.6.0: refused before, started after, by any 4.6.0 update level and by no 4.5.0 node', async () => {
    const cp45 = await unpack('dist-45', 'wso2am-acp-4.5.0.zip', 'wso2am-acp-4.5.0', 'cp-45');
    const tcp = ['-h', '127.0.0.1', '-p', String(pg!.port), '-U', 'apimadmin'];
    pg!.psql([...tcp, '-d', 'apim_db', '-f', join(cp45.home, 'dbscripts', 'apimgt', 'postgresql.sql')], { PGPASSWORD: DB_PASSWORD });
    pg!.psql([...tcp, '-d', 'shared_db', '-f', join(cp45.home, 'dbscripts', 'postgresql.sql')], { PGPASSWORD: DB_PASSWORD });
    expect([schemaOf('apim_db'), schemaOf('shared_db')]).toEqual(['4.5.0', '4.5.0']);

    // 4.6.0 on the 4.5.0 schema: the product's ERROR, the process up, never ready.
    const cp46 = await unpack('dist-46', 'wso2am-acp-4.6.0.zip', 'wso2am-acp-4.6.0', 'cp-46');
    await start(cp46);
    await waitFor('the schema ERROR in the 4.6.0 node\'s log', () => logOf(cp46).includes(SCHEMA_ERROR));
    expect(logOf(cp46)).toContain(`${SCHEMA_ERROR}\norg.wso2.carbon.apimgt.api.APIManagementException: database apim_db holds the API Manager 4.5.0 schema and this node is 4.6.0`);
    expect((await tryGet(versionUrl(cp46))).status).toBe(503);
    expect(logOf(cp46)).not.toContain('WSO2 Carbon started');
    await stop(cp46);

    // The 4.6.0 pack's step 4.5.0 -> 4.6.0, per database; a second run is refused and changes nothing.
    migrate(cp46, 'apim_db', 'postgresql.sql');
    migrate(cp46, 'shared_db', 'shared_db/postgresql.sql');
    expect([schemaOf('apim_db'), schemaOf('shared_db')]).toEqual(['4.6.0', '4.6.0']);
    expect(() => migrate(cp46, 'apim_db', 'postgresql.sql')).toThrow(/migration 4\.5\.0 -> 4\.6\.0: database apim_db holds the 4\.6\.0 schema, not 4\.5\.0/);
    expect(schemaOf('apim_db')).toBe('4.6.0');

    // 4.6.0 at update level 2 starts on the 4.6.0 schema.
    const cp46u2 = await unpack('dist-46-u2', 'wso2am-acp-4.6.0.2.zip', 'wso2am-acp-4.6.0', 'cp-46-u2');
    expect(readFileSync(join(cp46u2.home, 'updates', 'product.txt'), 'utf8')).toBe('wso2am-acp-4.6.0\n');
    expect(readFileSync(join(cp46u2.home, 'updates', 'lab-update-level'), 'utf8')).toBe('2\n');
    await start(cp46u2);
    await waitForStatus(versionUrl(cp46u2), 200);
    expect(logOf(cp46u2)).toContain('(simulated WSO2 API Control Plane 4.6.0, update level 2)');
    expect(logOf(cp46u2)).not.toContain(SCHEMA_ERROR);
    await stop(cp46u2);

    // And the 4.5.0 node no longer starts on the migrated schema.
    await start(cp45);
    await waitFor('the schema ERROR in the 4.5.0 node\'s log', () => logOf(cp45).includes(SCHEMA_ERROR));
    expect(logOf(cp45)).toContain('database apim_db holds the API Manager 4.6.0 schema and this node is 4.5.0');
    expect((await tryGet(versionUrl(cp45))).status).toBe(503);
    await stop(cp45);
  }, 300_000);
});
