/**
 * The simulated distributions on this machine, no lab hosts: build 4.6.0, unpack a gateway and control planes,
 * start them with their own start scripts on distinct port offsets, and watch them behave like the real nodes
 * (refuse bad config, wait for peers, wait for a real PostgreSQL, answer health and the sample API, stop cleanly).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDistributions } from '../../src/lab/dist/build.js';
import {
  alive, freePort, freePortOffset, runScript, startLoad, startNginx, startPostgres, tryGet, waitFor, waitForStatus,
  type LocalNginx, type Postgres, type ScriptResult,
} from './support/index.js';
import { endLocalRun } from './support/local-run.js';

/** The ports a WSO2 node binds, before its `[server] offset`. */

function writeToml(carbonHome: string, text: string): void {
  writeFileSync(join(carbonHome, 'repository', 'conf', 'deployment.toml'), text);
}

// ---------------------------------------------------------------------------------------------------------------

const VERSION = '4.6.0';
const ADMIN_PASSWORD = 'admin-pw-7';
const DB_PASSWORD = 'apim-db-pw-3';
const WRONG_DB_PASSWORD = 'not-the-password-9';

interface Pack {
  readonly home: string;
  readonly offset: number;
  readonly script: string;
}

const cpToml = (offset: number, databases: string): string => `
[server]
hostname = "127.0.0.1"
offset = ${offset}

[super_admin]
username = "admin"
password = "$env{SIM_ADMIN_PASSWORD}"

${databases}

[apim.event_hub]
service_url = "https://localhost:\${mgt.transport.https.port}/services/"

[[apim.gateway.environment]]
name = "Default"
type = "hybrid"
`;

// shared_db needs a username in 4.6 (no default.json default; sim/rules/required-refs.ts) and should name its URL:
// type "h2" alone infers the node-local WSO2CARBON_DB (kernel infer.json).
const H2 = '[database.apim_db]\ntype = "h2"\n\n[database.shared_db]\ntype = "h2"\n'
  + 'url = "jdbc:h2:./repository/database/WSO2SHARED_DB;DB_CLOSE_ON_EXIT=FALSE"\nusername = "wso2carbon"\npassword = "wso2carbon"';

const pgDatabases = (port: number): string => `
[database.apim_db]
type = "postgre"
url = "jdbc:postgresql://127.0.0.1:${port}/apim_db"
username = "apimadmin"
password = "$env{APIM_DB_PASSWORD}"

[database.shared_db]
type = "postgre"
hostname = "127.0.0.1"
port = ${port}
name = "shared_db"
username = "apimadmin"
password = "$env{APIM_DB_PASSWORD}"
`;

const gwToml = (offset: number, cpOffset: number): string => `
[server]
hostname = "127.0.0.1"
node_ip = "127.0.0.1"
offset = ${offset}

[super_admin]
username = "admin"
password = "$env{SIM_ADMIN_PASSWORD}"

[database.shared_db]
type = "h2"
url = "jdbc:h2:./repository/database/WSO2SHARED_DB;DB_CLOSE_ON_EXIT=FALSE"
username = "wso2carbon"
password = "wso2carbon"

[apim.key_manager]
service_url = "https://127.0.0.1:${9443 + cpOffset}/services/"

[apim.event_hub]
service_url = "https://127.0.0.1:${9443 + cpOffset}/services/"
event_listening_endpoints = ["tcp://127.0.0.1:${5672 + cpOffset}"]

[apim.throttling]
throttle_decision_endpoints = ["tcp://127.0.0.1:${5672 + cpOffset}"]

[[apim.throttling.url_group]]
traffic_manager_urls = ["tcp://127.0.0.1:${9611 + cpOffset}"]
traffic_manager_auth_urls = ["ssl://127.0.0.1:${9711 + cpOffset}"]
`;

describe('simulated distributions on this machine', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  let pg: Postgres | undefined;
  let gw: Pack; // started through a `current` symlink, as the orchestrator lays releases out
  let cp: Pack;
  let cpPg: Pack;
  let cpBadPw: Pack;
  const started = new Set<number>();
  let nginx: LocalNginx | undefined;

  const logOf = (p: Pack): string => {
    const file = join(p.home, 'repository', 'logs', 'wso2carbon.log');
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  };
  const pidOf = (p: Pack): number => Number(readFileSync(join(p.home, 'wso2carbon.pid'), 'utf8').trim());
  const start = async (p: Pack, extraEnv: NodeJS.ProcessEnv = {}): Promise<ScriptResult> => {
    const result = await runScript(p.script, ['start'], { ...env, ...extraEnv });
    if (existsSync(join(p.home, 'wso2carbon.pid'))) started.add(pidOf(p));
    return result;
  };
  const url = (p: Pack, base: number, path: string, tls = false): string =>
    `${tls ? 'https' : 'http'}://127.0.0.1:${base + p.offset}${path}`;
  const unpack = (zip: string, dest: string, top: string, script: string, offset: number): Pack => {
    mkdirSync(dest, { recursive: true });
    execFileSync('unzip', ['-q', join(root, 'dist', zip), '-d', dest]);
    const home = join(dest, top);
    return { home, offset, script: join(home, 'bin', `${script}.sh`) };
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'sim-local-'));
    await buildDistributions({ version: VERSION, outDir: join(root, 'dist') });
    mkdirSync(join(root, 'jdk'));
    execFileSync('tar', ['xzf', join(root, 'dist', 'jdk-17.tar.gz'), '-C', join(root, 'jdk'), '--strip-components=1']);
    env = { ...process.env, JAVA_HOME: join(root, 'jdk'), SIM_BOOT_DELAY_MS: '300', SIM_ADMIN_PASSWORD: ADMIN_PASSWORD };
    delete env['CARBON_HOME'];

    const gwUnpacked = unpack(`wso2am-universal-gw-${VERSION}.zip`, join(root, 'gw', 'releases'), `wso2am-universal-gw-${VERSION}`, 'gateway', await freePortOffset());
    symlinkSync(gwUnpacked.home, join(root, 'gw', 'current'));
    const current = join(root, 'gw', 'current');
    gw = { home: current, offset: gwUnpacked.offset, script: join(current, 'bin', 'gateway.sh') };
    cp = unpack(`wso2am-acp-${VERSION}.zip`, join(root, 'cp'), `wso2am-acp-${VERSION}`, 'api-cp', await freePortOffset());
    cpPg = unpack(`wso2am-acp-${VERSION}.zip`, join(root, 'cp-pg'), `wso2am-acp-${VERSION}`, 'api-cp', await freePortOffset());
    cpBadPw = unpack(`wso2am-acp-${VERSION}.zip`, join(root, 'cp-bad'), `wso2am-acp-${VERSION}`, 'api-cp', await freePortOffset());
    writeToml(cp.home, cpToml(cp.offset, H2));
    writeToml(gw.home, gwToml(gw.offset, cp.offset));

    pg = await startPostgres('sim-pg');
    const socket = pg.superuser;
    pg.psql([...socket, '-d', 'postgres', '-c', `CREATE ROLE apimadmin LOGIN PASSWORD '${DB_PASSWORD}'`]);
    pg.psql([...socket, '-d', 'postgres', '-c', 'CREATE DATABASE apim_db OWNER apimadmin']);
    pg.psql([...socket, '-d', 'postgres', '-c', 'CREATE DATABASE shared_db OWNER apimadmin']);
    // Load the shipped scripts over TCP as the application user, as an operator would.
    const tcp = ['-h', '127.0.0.1', '-p', String(pg.port), '-U', 'apimadmin'];
    pg.psql([...tcp, '-d', 'apim_db', '-f', join(cpPg.home, 'dbscripts', 'apimgt', 'postgresql.sql')], { PGPASSWORD: DB_PASSWORD });
    pg.psql([...tcp, '-d', 'shared_db', '-f', join(cpPg.home, 'dbscripts', 'postgresql.sql')], { PGPASSWORD: DB_PASSWORD });
    writeToml(cpPg.home, cpToml(cpPg.offset, pgDatabases(pg.port)));
    writeToml(cpBadPw.home, cpToml(cpBadPw.offset, pgDatabases(pg.port)));
    // The packs ship no PostgreSQL driver: it goes into repository/components/lib, as on a real node.
    for (const p of [cpPg, cpBadPw]) copyFileSync(join(root, 'dist', 'jdbc-postgresql-sim.jar'), join(p.home, 'repository', 'components', 'lib', 'jdbc-postgresql-sim.jar'));
  }, 120_000);

  afterAll(async () => {
    nginx?.stop();
    await endLocalRun(started, pg, root); // one test stops a node on purpose: SIGCONT first
  }, 300_000);

  it('refuses invalid TOML and a missing required key: the config mapper\'s error, non-zero exit', async () => {
    const bad = unpack(`wso2am-universal-gw-${VERSION}.zip`, join(root, 'bad'), `wso2am-universal-gw-${VERSION}`, 'gateway', await freePortOffset());
    writeToml(bad.home, '[server]\noffset = = 3\n');
    const foreground = await runScript(bad.script, [], env);
    expect(foreground.code).not.toBe(0);
    expect(foreground.stderr).toContain('SEVERE: Error while performing configuration changes');
    expect(logOf(bad)).toMatch(/ ERROR \{org\.wso2\.carbon\.server\.Main\} - Error while performing configuration changes\norg\.wso2\.config\.mapper\.ConfigParserException: Error parsing deployment configuration/);

    // A 4.6 gateway without [database.shared_db] (sim/rules/required-refs.ts).
    writeToml(bad.home, gwToml(bad.offset, cp.offset).replace(/\[database\.shared_db\]\n(.+\n)+/, ''));
    const missing = await runScript(bad.script, [], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("org.wso2.config.mapper.ConfigParserException: Configuration with key database.shared_db.username doesn't exist");
    expect(logOf(bad)).toContain("org.wso2.config.mapper.ConfigParserException: Configuration with key database.shared_db.username doesn't exist");
    expect(existsSync(join(bad.home, 'wso2carbon.pid'))).toBe(false);

    // The pack's key opens only with its keystore password, as wso2carbon.jks does.
    writeToml(bad.home, `${gwToml(bad.offset, cp.offset)}\n[keystore.tls]\npassword = "not-the-password"\n`);
    expect((await runScript(bad.script, [], env)).code).toBe(1);
    expect(logOf(bad)).toMatch(/ERROR \{[^}]+\} - Keystore was tampered with, or password was incorrect: .*wso2carbon\.jks/);
    expect(existsSync(join(bad.home, 'wso2carbon.pid'))).toBe(false);
  });

  it('refuses to run without an executable $JAVA_HOME/bin/java', async () => {
    const result = await runScript(cp.script, ['start'], { ...env, JAVA_HOME: join(root, 'no-jdk') });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('JAVA_HOME');
  });

  it('keeps a gateway unready while its control plane is down, ready once it is up', async () => {
    expect((await start(gw)).code).toBe(0);
    const health = url(gw, 9443, '/api/am/gateway/v2/server-startup-healthcheck', true);
    await waitForStatus(health, 503);
    // Still unready after it has tried the event hub twice (it retries every 2 s).
    const hubFailures = () => logOf(gw).match(/Error while connecting to event hub/g)?.length ?? 0;
    await waitFor('a second failed event hub connection in the gateway log', () => hubFailures() >= 2);
    expect((await tryGet(health)).status).toBe(503);
    expect((await tryGet(url(gw, 8280, '/echo'))).status).toBe(503);
    expect(logOf(gw)).toContain(`Error while connecting to event hub https://127.0.0.1:${9443 + cp.offset}/services/ : Connection refused`);
    expect(logOf(gw)).not.toContain('WSO2 Carbon started');
    expect(logOf(gw)).not.toContain(ADMIN_PASSWORD);

    expect((await start(cp)).code).toBe(0);
    const cpReadyMs = await waitForStatus(url(cp, 9763, '/services/Version'), 200);
    const gwReadyMs = await waitForStatus(health, 200);
    console.log(`control plane ready ${cpReadyMs} ms after start (boot delay 300 ms); gateway ready ${gwReadyMs} ms after that (figures, not checks)`);
    expect(logOf(gw)).toMatch(/ INFO \{[^}]+\} - WSO2 Carbon started in \d+ sec/);
    // The pid file sits where the script was run from: CARBON_HOME through the `current` symlink.
    expect(existsSync(join(root, 'gw', 'current', 'wso2carbon.pid'))).toBe(true);
  }, 180_000);

  it('answers /services/Version and the sample API once ready', async () => {
    for (const u of [url(cp, 9763, '/services/Version'), url(cp, 9443, '/services/Version', true)]) {
      const answer = await tryGet(u);
      expect(answer.status).toBe(200);
      expect(answer.body).toContain(`<return>WSO2 API Control Plane-${VERSION}</return>`);
    }
    expect((await tryGet(url(gw, 9763, '/services/Version'))).body).toContain(`WSO2 Universal Gateway-${VERSION}`);
    for (const u of [url(gw, 8280, '/echo'), url(gw, 8243, '/echo', true)]) {
      const answer = await tryGet(u);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject({ node: '127.0.0.1', version: VERSION, component: 'gateway' });
    }
    expect((await tryGet(url(gw, 9099, '/health'))).status).toBe(200);
  });

  it('answers "Process is already running" to a second start', async () => {
    const pid = pidOf(gw);
    const again = await runScript(gw.script, ['start'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Process is already running');
    expect(pidOf(gw)).toBe(pid);
  });

  it('stops on `stop`: returns without waiting for the exit, then the process exits and removes its pid file', async () => {
    const pid = pidOf(gw);
    // Frozen, the node cannot act on the SIGTERM: `stop` returning now proves it does not wait for the exit.
    process.kill(pid, 'SIGSTOP');
    try {
      expect((await runScript(gw.script, ['stop'], env)).code).toBe(0);
      expect(alive(pid)).toBe(true);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await waitFor(`gateway pid ${pid} to exit`, () => !alive(pid));
    expect(existsSync(join(gw.home, 'wso2carbon.pid'))).toBe(false);
    expect(logOf(gw)).toContain('Shutdown complete');
    expect((await tryGet(url(gw, 8280, '/echo'))).status).toBe(0);
  });

  it('drains on restart: steady load through nginx sees no failed request', async () => {
    const gw2 = unpack(`wso2am-universal-gw-${VERSION}.zip`, join(root, 'gw2'), `wso2am-universal-gw-${VERSION}`, 'gateway', await freePortOffset());
    writeToml(gw2.home, gwToml(gw2.offset, cp.offset));
    await start(gw);
    await start(gw2);
    await waitForStatus(url(gw, 8280, '/echo'), 200);
    await waitForStatus(url(gw2, 8280, '/echo'), 200);
    const lbPort = await freePort();
    nginx = startNginx(lbPort, [8280 + gw.offset, 8280 + gw2.offset]);
    await waitForStatus(`http://127.0.0.1:${lbPort}/echo`, 200);

    const load = startLoad(`http://127.0.0.1:${lbPort}/echo`, { concurrency: 8, pauseMs: 0, keepAlive: true });
    await waitFor('50 requests served through nginx before the restart', () => load.progress().served >= 50);
    const oldPid = pidOf(gw);
    expect((await runScript(gw.script, ['restart'], env)).code).toBe(0);
    started.add(pidOf(gw));
    expect(pidOf(gw)).not.toBe(oldPid);
    await waitForStatus(url(gw, 8280, '/echo'), 200);
    const afterRestart = load.progress().served;
    await waitFor('50 more requests served after the restart', () => load.progress().served >= afterRestart + 50);
    const report = await load.stop();
    console.log(`through nginx during a gateway restart: ${report.served} requests answered 200, ${report.failed} failed`);
    expect(report.failed, report.failures.join('\n')).toBe(0);
  }, 180_000);

  it('brings a control plane up against PostgreSQL with the right password', async () => {
    expect((await start(cpPg, { APIM_DB_PASSWORD: DB_PASSWORD })).code).toBe(0);
    await waitForStatus(url(cpPg, 9763, '/services/Version'), 200);
    expect(logOf(cpPg)).toContain(`Connected to database apim_db at jdbc:postgresql://127.0.0.1:${pg!.port}/apim_db`);
    expect(logOf(cpPg)).not.toContain(DB_PASSWORD);
  });

  it('never readies a control plane with a wrong database password, and says why', async () => {
    expect((await start(cpBadPw, { APIM_DB_PASSWORD: WRONG_DB_PASSWORD })).code).toBe(0);
    await waitForStatus(url(cpBadPw, 9763, '/services/Version'), 503);
    // Each round tries apim_db and shared_db; a second failure for apim_db is a second round.
    const apimDbFailures = () => logOf(cpBadPw).match(/Cannot connect to database apim_db .*password authentication failed/g)?.length ?? 0;
    await waitFor('a second failed round on apim_db in the log (it keeps retrying)', () => apimDbFailures() >= 2);
    expect((await tryGet(url(cpBadPw, 9763, '/services/Version'))).status).toBe(503);
    const log = logOf(cpBadPw);
    expect(log).toMatch(/ERROR \{[^}]+\} - Cannot connect to database apim_db at .* as user "apimadmin": password authentication failed/);
    expect(log).not.toContain('WSO2 Carbon started');
    expect(log).not.toContain(WRONG_DB_PASSWORD);
  }, 120_000);

  it('profileSetup -Dprofile=key-manager swaps in the template unless --skipConfigOptimization', async () => {
    const km = unpack(`wso2am-acp-${VERSION}.zip`, join(root, 'km'), `wso2am-acp-${VERSION}`, 'key-manager', await freePortOffset());
    const conf = join(km.home, 'repository', 'conf', 'deployment.toml');
    const setup = join(km.home, 'bin', 'profileSetup.sh');
    writeToml(km.home, cpToml(km.offset, H2));
    const mine = readFileSync(conf, 'utf8');

    expect((await runScript(setup, ['-Dprofile=key-manager', '--skipConfigOptimization'], env)).code).toBe(0);
    expect(readFileSync(conf, 'utf8')).toBe(mine);
    expect(existsSync(join(km.home, 'repository', 'deployment', 'server', 'webapps', 'publisher'))).toBe(false);

    expect((await runScript(setup, ['-Dprofile=key-manager'], env)).code).toBe(0);
    const template = readFileSync(join(km.home, 'repository', 'resources', 'conf', 'deployment-templates', 'key-manager.toml'), 'utf8');
    expect(readFileSync(conf, 'utf8')).toBe(template);
    expect(readFileSync(`${conf}.backup`, 'utf8')).toBe(mine);
    expect((await runScript(setup, ['-Dprofile=key-manager'], env)).code).toBe(0); // again: no change, backup kept
    expect(readFileSync(`${conf}.backup`, 'utf8')).toBe(mine);
    expect((await runScript(setup, ['-Dprofile=gateway-worker'], env)).code).toBe(1);
  });
});
