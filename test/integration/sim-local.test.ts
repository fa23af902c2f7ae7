/**
 * The simulated distributions on this machine, no lab hosts: build 4.6.0, unpack a gateway and control planes,
 * start them with their own start scripts on distinct port offsets, and watch them behave like the real nodes
 * (refuse bad config, wait for peers, wait for a real PostgreSQL, answer health and the sample API, stop cleanly).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDistributions } from '../../src/lab/dist/build.js';
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

interface HttpAnswer {
  readonly status: number; // 0 when no HTTP answer (refused, reset)
  readonly body: string;
  readonly error?: string;
}

function get(url: string): Promise<HttpAnswer> {
  return new Promise((resolve) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = send(url, { rejectUnauthorized: false, agent: false, timeout: 3000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ status: 0, body: '', error: err.code ?? err.message }));
    req.end();
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `url` answers `status`; returns the milliseconds it took. */
async function waitForStatus(url: string, status: number, timeoutMs: number): Promise<number> {
  const started = Date.now();
  let last: HttpAnswer = { status: 0, body: '' };
  while (Date.now() - started < timeoutMs) {
    last = await get(url);
    if (last.status === status) return Date.now() - started;
    await sleep(100);
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${last.status} ${last.error ?? ''})`);
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0' }, () => server.close(() => resolve(true)));
  });
}

const ALL_BASE_PORTS = [9443, 9763, 8280, 8243, 9099, 5672, 9611, 9711];
const taken = new Set<number>();

/** A port offset whose shifted ports are all free here and not handed out before (below the ephemeral range). */
async function freeOffset(): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const offset = 1000 + Math.floor(Math.random() * 20000);
    if (taken.has(offset)) continue;
    const free = await Promise.all(ALL_BASE_PORTS.map((p) => portFree(p + offset)));
    if (free.every(Boolean)) {
      taken.add(offset);
      return offset;
    }
  }
  throw new Error('no free port offset found');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface ScriptResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a pack script with `sh`, as an operator or the orchestrator does. */
async function runScript(script: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 15000): Promise<ScriptResult> {
  try {
    const { stdout, stderr } = await execFileAsync('sh', [script, ...args], { env, timeout: timeoutMs });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/** Alive and not a zombie (an exited daemon waits as a zombie until PID 1 reaps it, which can take a while). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

const PG_BIN = '/usr/lib/postgresql/15/bin';

interface Postgres {
  readonly port: number;
  readonly dir: string;
  readonly dataDir: string;
  psql(args: readonly string[], env?: NodeJS.ProcessEnv): string;
  stop(): void;
}

/**
 * A throwaway PostgreSQL 15 owned by the `postgres` user, on 127.0.0.1:<port>, socket and data in a fresh temp dir
 * of its own (the test's root dir is private to root).
 */
async function startPostgres(): Promise<Postgres> {
  const dir = mkdtempSync(join(tmpdir(), 'sim-pg-'));
  chownSync(dir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
    Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()));
  const dataDir = join(dir, 'data');
  const port = await freePort();
  const asPostgres = (argv: readonly string[]): string =>
    execFileSync('runuser', ['-u', 'postgres', '--', ...argv], { encoding: 'utf8', cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  asPostgres([`${PG_BIN}/initdb`, '-D', dataDir, '--auth-local=trust', '--auth-host=scram-sha-256', '-U', 'postgres']);
  asPostgres([`${PG_BIN}/pg_ctl`, '-D', dataDir, '-l', join(dir, 'postgres.log'), '-w',
    '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']);
  return {
    port,
    dir,
    dataDir,
    psql: (args, env) =>
      execFileSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', ...args], {
        encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
      }),
    stop: () => {
      asPostgres([`${PG_BIN}/pg_ctl`, '-D', dataDir, '-m', 'fast', '-w', 'stop']);
    },
  };
}

function writeToml(carbonHome: string, text: string): void {
  writeFileSync(join(carbonHome, 'repository', 'conf', 'deployment.toml'), text);
}

/** Steady keep-alive GET load from `workers` clients until `stop` resolves; counts non-200 answers and errors. */
async function steadyLoad(target: string, workers: number, stop: Promise<void>): Promise<{ ok: number; failed: string[] }> {
  const agent = new HttpAgent({ keepAlive: true, maxSockets: workers });
  let running = true;
  void stop.then(() => (running = false));
  let ok = 0;
  const failed: string[] = [];
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const req = httpRequest(target, { agent }, (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) ok++;
          else failed.push(`HTTP ${res.statusCode}`);
          resolve();
        });
      });
      req.on('error', (err: NodeJS.ErrnoException) => {
        failed.push(err.code ?? err.message);
        resolve();
      });
      req.end();
    });
  await Promise.all(Array.from({ length: workers }, async () => {
    while (running) await one();
  }));
  agent.destroy();
  return { ok, failed };
}

/** Debian's nginx as a throwaway load balancer in its own temp prefix; returns its master PID. */
function startNginx(port: number, upstreams: readonly number[]): { pid: number; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'sim-nginx-'));
  const servers = upstreams.map((p) => `server 127.0.0.1:${p};`).join(' ');
  writeFileSync(join(dir, 'nginx.conf'), `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events {}
http {
  access_log off;
  upstream gw { ${servers} keepalive 16; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://gw;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      # a restarted node answers 503 until ready: try the other one, as an LB health rule would
      proxy_next_upstream error timeout http_503;
    }
  }
}
`);
  execFileSync('nginx', ['-c', join(dir, 'nginx.conf'), '-p', dir]);
  return { pid: Number(readFileSync(join(dir, 'nginx.pid'), 'utf8').trim()), dir };
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
`;

const H2 = '[database.apim_db]\ntype = "h2"\n\n[database.shared_db]\ntype = "h2"';

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
  let nginx: { pid: number; dir: string } | undefined;

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
    execFileSync('tar', ['xzf', join(root, 'dist', 'jdk-21.0.5.tar.gz'), '-C', join(root, 'jdk')]);
    env = { ...process.env, JAVA_HOME: join(root, 'jdk', 'jdk-21.0.5+11'), SIM_BOOT_DELAY_MS: '300', SIM_ADMIN_PASSWORD: ADMIN_PASSWORD };
    delete env['CARBON_HOME'];

    const gwUnpacked = unpack(`wso2am-universal-gw-${VERSION}.zip`, join(root, 'gw', 'releases'), `wso2am-universal-gw-${VERSION}`, 'gateway', await freeOffset());
    symlinkSync(gwUnpacked.home, join(root, 'gw', 'current'));
    const current = join(root, 'gw', 'current');
    gw = { home: current, offset: gwUnpacked.offset, script: join(current, 'bin', 'gateway.sh') };
    cp = unpack(`wso2am-acp-${VERSION}.zip`, join(root, 'cp'), `wso2am-acp-${VERSION}`, 'api-cp', await freeOffset());
    cpPg = unpack(`wso2am-acp-${VERSION}.zip`, join(root, 'cp-pg'), `wso2am-acp-${VERSION}`, 'api-cp', await freeOffset());
    cpBadPw = unpack(`wso2am-acp-${VERSION}.zip`, join(root, 'cp-bad'), `wso2am-acp-${VERSION}`, 'api-cp', await freeOffset());
    writeToml(cp.home, cpToml(cp.offset, H2));
    writeToml(gw.home, gwToml(gw.offset, cp.offset));

    pg = await startPostgres();
    const socket = ['-h', pg.dir, '-p', String(pg.port), '-U', 'postgres'];
    pg.psql([...socket, '-d', 'postgres', '-c', `CREATE ROLE apimadmin LOGIN PASSWORD '${DB_PASSWORD}'`]);
    pg.psql([...socket, '-d', 'postgres', '-c', 'CREATE DATABASE apim_db OWNER apimadmin']);
    pg.psql([...socket, '-d', 'postgres', '-c', 'CREATE DATABASE shared_db OWNER apimadmin']);
    // Load the shipped scripts over TCP as the application user, as an operator would.
    const tcp = ['-h', '127.0.0.1', '-p', String(pg.port), '-U', 'apimadmin'];
    pg.psql([...tcp, '-d', 'apim_db', '-f', join(cpPg.home, 'dbscripts', 'apimgt', 'postgresql.sql')], { PGPASSWORD: DB_PASSWORD });
    pg.psql([...tcp, '-d', 'shared_db', '-f', join(cpPg.home, 'dbscripts', 'postgresql.sql')], { PGPASSWORD: DB_PASSWORD });
    writeToml(cpPg.home, cpToml(cpPg.offset, pgDatabases(pg.port)));
    writeToml(cpBadPw.home, cpToml(cpBadPw.offset, pgDatabases(pg.port)));
  }, 120_000);

  afterAll(async () => {
    if (nginx && alive(nginx.pid)) process.kill(nginx.pid, 'SIGQUIT');
    for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 50 && [...started].some(alive); i++) await sleep(100);
    for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL');
    try {
      pg?.stop();
    } finally {
      if (pg) rmSync(pg.dir, { recursive: true, force: true });
      if (nginx) rmSync(nginx.dir, { recursive: true, force: true });
      if (root) rmSync(root, { recursive: true, force: true });
    }
  }, 60_000);

  it('refuses invalid TOML and a missing required key: ERROR in the log, non-zero exit', async () => {
    const bad = unpack(`wso2am-universal-gw-${VERSION}.zip`, join(root, 'bad'), `wso2am-universal-gw-${VERSION}`, 'gateway', await freeOffset());
    writeToml(bad.home, '[server]\noffset = = 3\n');
    const foreground = await runScript(bad.script, [], env);
    expect(foreground.code).not.toBe(0);
    expect(logOf(bad)).toMatch(/ ERROR \{[^}]+\} - Error in deployment\.toml: Error while parsing .*deployment\.toml/);

    writeToml(bad.home, gwToml(bad.offset, cp.offset).replace(/\[apim\.key_manager\]\nservice_url = .*\n/, ''));
    expect((await runScript(bad.script, [], env)).code).toBe(1);
    expect(logOf(bad)).toContain('ERROR {org.wso2.carbon.core.internal.CarbonCoreActivator} - Error in deployment.toml: missing [apim.key_manager] service_url');
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
    await waitForStatus(health, 503, 10_000);
    await sleep(2500);
    expect((await get(health)).status).toBe(503);
    expect((await get(url(gw, 8280, '/echo'))).status).toBe(503);
    expect(logOf(gw)).toContain(`Error while connecting to event hub https://127.0.0.1:${9443 + cp.offset}/services/ : Connection refused`);
    expect(logOf(gw)).not.toContain('WSO2 Carbon started');
    expect(logOf(gw)).not.toContain(ADMIN_PASSWORD);

    expect((await start(cp)).code).toBe(0);
    const cpReadyMs = await waitForStatus(url(cp, 9763, '/services/Version'), 200, 15_000);
    const gwReadyMs = await waitForStatus(health, 200, 15_000);
    console.log(`control plane ready ${cpReadyMs} ms after start (boot delay 300 ms); gateway ready ${gwReadyMs} ms after that`);
    expect(logOf(gw)).toMatch(/ INFO \{[^}]+\} - WSO2 Carbon started in \d+ sec/);
    // The pid file sits where the script was run from: CARBON_HOME through the `current` symlink.
    expect(existsSync(join(root, 'gw', 'current', 'wso2carbon.pid'))).toBe(true);
  }, 60_000);

  it('answers /services/Version and the sample API once ready', async () => {
    for (const u of [url(cp, 9763, '/services/Version'), url(cp, 9443, '/services/Version', true)]) {
      const answer = await get(u);
      expect(answer.status).toBe(200);
      expect(answer.body).toContain(`<return>WSO2 API Control Plane-${VERSION}</return>`);
    }
    expect((await get(url(gw, 9763, '/services/Version'))).body).toContain(`WSO2 Universal Gateway-${VERSION}`);
    for (const u of [url(gw, 8280, '/echo'), url(gw, 8243, '/echo', true)]) {
      const answer = await get(u);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toMatchObject({ node: '127.0.0.1', version: VERSION, component: 'gateway' });
    }
    expect((await get(url(gw, 9099, '/health'))).status).toBe(200);
  });

  it('answers "Process is already running" to a second start', async () => {
    const pid = pidOf(gw);
    const again = await runScript(gw.script, ['start'], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Process is already running');
    expect(pidOf(gw)).toBe(pid);
  });

  it('stops on `stop`: returns at once, the process exits and removes its pid file', async () => {
    const pid = pidOf(gw);
    const began = Date.now();
    expect((await runScript(gw.script, ['stop'], env)).code).toBe(0);
    expect(Date.now() - began).toBeLessThan(2000);
    for (let i = 0; i < 50 && alive(pid); i++) await sleep(100);
    expect(alive(pid)).toBe(false);
    expect(existsSync(join(gw.home, 'wso2carbon.pid'))).toBe(false);
    expect(logOf(gw)).toContain('Shutdown complete');
    expect((await get(url(gw, 8280, '/echo'))).status).toBe(0);
  });

  it('drains on restart: steady load through nginx sees no failed request', async () => {
    const gw2 = unpack(`wso2am-universal-gw-${VERSION}.zip`, join(root, 'gw2'), `wso2am-universal-gw-${VERSION}`, 'gateway', await freeOffset());
    writeToml(gw2.home, gwToml(gw2.offset, cp.offset));
    await start(gw);
    await start(gw2);
    await waitForStatus(url(gw, 8280, '/echo'), 200, 15_000);
    await waitForStatus(url(gw2, 8280, '/echo'), 200, 15_000);
    const lbPort = await freePort();
    nginx = startNginx(lbPort, [8280 + gw.offset, 8280 + gw2.offset]);
    await waitForStatus(`http://127.0.0.1:${lbPort}/echo`, 200, 5000);

    let finish = (): void => undefined;
    const load = steadyLoad(`http://127.0.0.1:${lbPort}/echo`, 8, new Promise((r) => (finish = r)));
    await sleep(500);
    const oldPid = pidOf(gw);
    expect((await runScript(gw.script, ['restart'], env)).code).toBe(0);
    started.add(pidOf(gw));
    expect(pidOf(gw)).not.toBe(oldPid);
    await waitForStatus(url(gw, 8280, '/echo'), 200, 15_000);
    await sleep(500);
    finish();
    const { ok, failed } = await load;
    console.log(`through nginx during a gateway restart: ${ok} requests answered 200, ${failed.length} failed`);
    expect(failed).toEqual([]);
    expect(ok).toBeGreaterThan(100);
  }, 60_000);

  it('brings a control plane up against PostgreSQL with the right password', async () => {
    expect((await start(cpPg, { APIM_DB_PASSWORD: DB_PASSWORD })).code).toBe(0);
    await waitForStatus(url(cpPg, 9763, '/services/Version'), 200, 15_000);
    expect(logOf(cpPg)).toContain(`Connected to database apim_db at jdbc:postgresql://127.0.0.1:${pg!.port}/apim_db`);
    expect(logOf(cpPg)).not.toContain(DB_PASSWORD);
  });

  it('never readies a control plane with a wrong database password, and says why', async () => {
    expect((await start(cpBadPw, { APIM_DB_PASSWORD: WRONG_DB_PASSWORD })).code).toBe(0);
    await waitForStatus(url(cpBadPw, 9763, '/services/Version'), 503, 10_000);
    await sleep(4500);
    expect((await get(url(cpBadPw, 9763, '/services/Version'))).status).toBe(503);
    const log = logOf(cpBadPw);
    expect(log).toMatch(/ERROR \{[^}]+\} - Cannot connect to database apim_db at .* as user "apimadmin": password authentication failed/);
    expect(log.match(/password authentication failed/g)?.length ?? 0).toBeGreaterThanOrEqual(2); // it keeps retrying
    expect(log).not.toContain('WSO2 Carbon started');
    expect(log).not.toContain(WRONG_DB_PASSWORD);
  }, 30_000);

  it('profileSetup -Dprofile=key-manager swaps in the template unless --skipConfigOptimization', async () => {
    const km = unpack(`wso2am-acp-${VERSION}.zip`, join(root, 'km'), `wso2am-acp-${VERSION}`, 'key-manager', await freeOffset());
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
