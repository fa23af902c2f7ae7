/**
 * `migrate` guards on lab hosts (docs/migrate.md): pattern 2 at 4.5.0 (all-in-one, gateway, nginx, PostgreSQL).
 * - `--read-only-window`: before the backup the balancer refuses design-time REST writes on blue (503 + JSON), while
 *   reads, token requests, the gateway's own REST API and API traffic pass; a re-run and a provision keep the rule;
 *   `--abort` lifts it and marks the migration abandoned, and the next run starts a new one.
 * - the schema step's record lives in the green database, written in the script's transaction: with its marker file
 *   deleted after the script committed, a re-run skips it (and writes the marker) instead of failing on it.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseVars, failureSummary, httpGet, postgres, provisionCli, runCli, tryRequest, useLab, type DeploymentSpec } from './support/index.js';

const HOSTS = ['aio-1', 'gw-1', 'lb-1', 'db-1'];
const lab = useLab({ workspace: 'apim-i17r', versions: ['4.5.0', '4.6.0'], lab: { name: 't-i17r1', names: HOSTS, subnet: '10.213.189.0/24' } });
const spec: DeploymentSpec = {
  name: 'guard', pattern: 2, version: '4.5.0',
  hosts: Object.fromEntries(HOSTS.map((h) => [h, {}])),
  roles: { 'all-in-one': ['aio-1'], gateway: ['gw-1'], 'load-balancer': ['lb-1'], database: ['db-1'] },
  vars: baseVars(postgres('db-1')),
};
let inventory: string;

const psql = async (db: string, sql: string) => (await lab.sh('db-1', `runuser -u postgres -- psql -X -At -d ${db} -c "${sql}"`)).trim();
const version = (db: string) => psql(db, 'SELECT schema_version FROM lab_schema_version');
const migrateArgs = (...extra: string[]) => ['migrate', '-i', inventory, '--to', '4.6.0', ...extra];
const lb = (port: number, path: string) => `${port === 8280 ? 'http' : 'https'}://${lab.address('lb-1')}:${port}${path}`;
const API = { name: 'Guard', context: '/guard', version: '1.0' };
/** Whether the answer is the balancer's read-only window (its header), not whatever the node answers. */
const refusedByWindow = (a: { status: number; headers?: Record<string, unknown> }) => a.status === 503 && a.headers?.['x-apim-deploy-window'] === 'read-only';
const idOf = (out: string) => /(?:starting|continuing) migration (4\.5\.0-to-4\.6\.0-\d{8}T\d{6}Z)/.exec(out)?.[1];
const controllerDir = (id: string) => join(dirname(inventory), '.apim-deploy', 'migrations', id);

/** Polls until the balancer refuses (or stops refusing) a publisher write: a reload is applied by nginx's new workers. */
async function windowIs(refusing: boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const a = await tryRequest('POST', lb(443, '/api/am/publisher/v4/apis'), API);
    if (refusedByWindow(a) === refusing) return;
    if (Date.now() > deadline) throw new Error(`the window is ${refusing ? 'not closed' : 'still closed'}: ${a.status} ${a.body.slice(0, 200)}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

beforeAll(async () => {
  inventory = lab.deploy(spec).inventory;
  appendGreen();
  const run = await provisionCli(inventory);
  if (run.code !== 0) throw new Error(`provision at 4.5.0 failed: ${failureSummary(run)}`);
}, 420_000);

function appendGreen(): void {
  // Green partners on addresses of the lab's subnet no blue host uses: these phases do not build green.
  const text = readFileSync(inventory, 'utf8');
  if (!text.includes('\ngreen:')) appendFileSync(inventory, 'green:\n  aio-1: { address: 10.213.189.201 }\n  gw-1: { address: 10.213.189.202 }\n');
}

describe('migrate guards on lab hosts', () => {
  it('--read-only-window: blue refuses design-time writes from the backup on (503 + JSON); reads, tokens, gateway REST and /echo pass; kept by a re-run and a provision; --abort lifts it and abandons the migration', async () => {
    expect(refusedByWindow(await tryRequest('POST', lb(443, '/api/am/publisher/v4/apis'), API))).toBe(false);
    const dry = await runCli(migrateArgs('--read-only-window', '--dry-run'), { timeoutMs: 180_000 });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('lb-1: create /etc/nginx/apim-deploy-window/read-only.conf (0644, root:root)');
    expect(dry.stdout).toContain('lb-1: reload load-balancer');

    const run = await runCli(migrateArgs('--read-only-window', '--until', 'backup'), { timeoutMs: 300_000 });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const id = idOf(run.stdout)!;
    expect(id, run.stdout).toBeDefined();
    await windowIs(true);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      for (const path of ['/api/am/publisher/v4/apis', '/api/am/admin/v4/throttling/policies/application', '/api/am/devportal/v3/applications', '/api/am/service-catalog/v1/services']) {
        const a = await tryRequest(method, lb(443, path), API);
        expect(refusedByWindow(a), `${method} ${path}: ${a.status}`).toBe(true);
        expect(a.headers?.['content-type']).toBe('application/json');
        expect(JSON.parse(a.body)).toMatchObject({ code: 503, description: expect.stringMatching(/migration to another API Manager version is in progress/) });
      }
    }
    // Tomcat drops path parameters from each segment and resolves dot segments before it picks a webapp; nginx's $uri
    // resolves the dots and percent-escapes, the rule allows the parameters.
    for (const path of ['/api;x=1/am/publisher/v4/apis', '/api/am;x/publisher/v4/apis', '/api/am/publisher;jsessionid=1/v4/apis', '/api/./am/%70ublisher/v4/apis', '//api/am/admin/v4/x']) {
      expect(refusedByWindow(await tryRequest('POST', lb(443, path), API)), `POST ${path}`).toBe(true);
    }
    // What is not a design-time write passes to the node, whatever the node answers.
    for (const [method, url] of [['GET', lb(443, '/api/am/publisher/v4/apis')], ['POST', lb(443, '/oauth2/token')], ['POST', lb(9443, '/api/am/gateway/v2/redeploy-api')],
      ['GET', lb(8280, '/echo')], ['POST', lb(8280, '/echo')]] as const) {
      const a = await tryRequest(method, url, method === 'POST' ? { probe: true } : undefined);
      expect(a.status, `${method} ${url}: ${a.error ?? ''}`).toBeGreaterThan(0);
      expect(refusedByWindow(a), `${method} ${url}`).toBe(false);
    }
    expect((await httpGet(lb(8280, '/echo'))).status).toBe(200);

    // status: blue and green side by side, the side taking traffic read from the balancer, green not provisioned yet.
    const status = await runCli(['status', '-i', inventory], { timeoutMs: 180_000 });
    expect(status.code, status.stdout + status.stderr).toBe(0);
    expect(status.stdout).toContain(`Migration ${id}: 4.5.0 (blue) → 4.6.0 (green), read-only window on blue; phases done: backup`);
    expect(status.stdout).toMatch(/traffic: lb-1 sends clients to BLUE \(\d+ blue, 0 green server\(s\) in service\)/);
    expect(status.stdout).toMatch(/aio-1\/all-in-one: 4\.5\.0, healthy +aio-1-green\/all-in-one: not provisioned yet/);
    expect(status.stdout).toMatch(/gw-1\/gateway: 4\.5\.0, healthy +gw-1-green\/gateway: not provisioned yet/);
    const json = await runCli(['status', '-i', inventory, '--json'], { timeoutMs: 180_000 });
    expect(JSON.parse(json.stdout).migration).toMatchObject({ id, traffic: [{ balancer: 'lb-1', side: 'blue' }] });

    // Kept: a re-run finds the rule in place and changes nothing on the balancer; a provision does not remove it.
    const again = await runCli(migrateArgs('--read-only-window', '--until', 'backup', '--json'), { timeoutMs: 300_000 });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.events.filter((e) => e.type === 'step-start' && e.stepId.startsWith('lb-1/'))).toEqual([]);
    const provision = await provisionCli(inventory);
    expect(provision.code, failureSummary(provision)).toBe(0);
    await windowIs(true);

    // The way out: the rule lifted, the migration abandoned (database host and controller); nothing deleted.
    const abort = await runCli(migrateArgs('--abort'), { timeoutMs: 300_000 });
    expect(abort.code, abort.stdout + abort.stderr).toBe(0);
    expect(abort.stdout).toContain(`migration ${id} abandoned`);
    expect(abort.stdout).toMatch(/kept: green databases on db-1 where created: apim_db_460, shared_db_460/);
    await windowIs(false);
    expect(await lab.sh('lb-1', 'ls /etc/nginx/apim-deploy-window/')).toBe('');
    expect(await lab.sh('db-1', `ls /var/lib/apim-deploy/migrations/${id}`)).toMatch(/abandoned[\s\S]*finished/);
    expect(JSON.parse(readFileSync(join(controllerDir(id), 'migration.json'), 'utf8')).abandonedAt).toMatch(/^\d{4}-/);
    expect(existsSync(join(controllerDir(id), `apim_db-4.5.0-${id.slice(-16)}.dump`))).toBe(true);
    expect((await runCli(['status', '-i', inventory], { timeoutMs: 180_000 })).stdout).not.toContain('Migration ');
    const refusedAbort = await runCli(migrateArgs('--abort'));
    expect(refusedAbort.code).toBe(2);
    expect(refusedAbort.stderr).toContain('no unfinished migration 4.5.0 → 4.6.0 on db-1: nothing to abort');
  }, 900_000);

  it('a schema step whose script committed but whose marker was lost is found by its record in the green database: the re-run skips it', async () => {
    const run = await runCli(migrateArgs('--accept-write-loss', '--until', 'schema'), { timeoutMs: 300_000 });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const id = idOf(run.stdout)!;
    expect(run.stdout).toContain(`starting migration ${id}`);
    expect([await version('apim_db_460'), await version('shared_db_460')]).toEqual(['4.6.0', '4.6.0']);
    expect(await psql('apim_db_460', 'SELECT step FROM apim_deploy.migration_steps')).toBe(`${id}/schema-4.6.0-0-apim_db_460`);
    expect(await psql('shared_db_460', 'SELECT step FROM apim_deploy.migration_steps')).toBe(`${id}/schema-4.6.0-1-shared_db_460`);
    // WSO2's tables stay in public; the record is in a schema of its own.
    expect(await psql('apim_db_460', "SELECT count(*) FROM pg_tables WHERE schemaname = 'apim_deploy'")).toBe('1');

    // As if the run had stopped between the script's commit and its marker.
    const markers = `/var/lib/apim-deploy/migrations/${id}`;
    await lab.sh('db-1', `rm ${markers}/schema-4.6.0-0-apim_db_460.done ${markers}/schema-4.6.0-1-shared_db_460.done`);
    const again = await runCli(migrateArgs('--accept-write-loss', '--until', 'schema', '--json'), { timeoutMs: 300_000 });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain(`continuing migration ${id}`);
    const schemaEnds = again.events.filter((e) => e.type === 'step-end' && e.stepId.includes('/run-once/migrate-schema-'));
    expect(schemaEnds.length).toBe(2);
    for (const e of schemaEnds) expect(e).toMatchObject({ status: 'unchanged', reason: expect.stringMatching(/its own record says so/) });
    expect(await lab.sh('db-1', `ls ${markers}`)).toMatch(/schema-4\.6\.0-0-apim_db_460\.done[\s\S]*schema-4\.6\.0-1-shared_db_460\.done/);
    expect([await version('apim_db_460'), await version('shared_db_460')]).toEqual(['4.6.0', '4.6.0']);
    expect((await httpGet(lb(8280, '/echo'))).status).toBe(200);
  }, 600_000);
});
