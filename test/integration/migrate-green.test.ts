/**
 * `migrate --to 4.6.0 --until verify-green` on lab hosts (docs/migrate.md phases 4 and 5): pattern 2 (all-in-one,
 * gateway, nginx, PostgreSQL) provisioned at 4.5.0 with green partners named in the inventory, an API record created
 * on blue through the simulator's Publisher REST API, then the database phases, green provisioned on its partner
 * hosts at 4.6.0 on the green databases, and verified: healthy, /echo through the balancer's green-only listener
 * answered by 4.6.0, blue's record listed by green's publisher. Blue's files and PIDs never change and it serves
 * /echo throughout; Ctrl-C in provision-green leaves blue serving and a re-run continues; one more run changes nothing.
 */
import { existsSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BASE_SECRETS, basicAuthorization, failureSummary, httpGet, interruptCli, provisionCli, publisherApis, publisherToken, runCli, wso2Pids } from './support/index.js';
import { MIGRATION_BLUE_NODES, MIGRATION_GREEN, migrationLab } from './support/migration-lab.js';

const GREEN: readonly string[] = MIGRATION_GREEN;
const { lab, deployWithGreen } = migrationLab({ workspace: 'apim-i17f', name: 't-i17f1', subnet: '10.213.205.0/24', deployment: 'green' });
let inventory: string;

const migrateArgs = (...extra: string[]) => ['migrate', '-i', inventory, '--to', '4.6.0', '--accept-write-loss', ...extra];
const echo = () => httpGet(`http://${lab.address('lb-1')}:8280/echo`);
const greenEcho = () => httpGet(`http://${lab.address('lb-1')}:18280/echo`);
const BLUE_NODES = MIGRATION_BLUE_NODES;
const blueFiles = async () => Promise.all([
  lab.sh('aio-1', 'sha256sum /opt/wso2/all-in-one/current/repository/conf/deployment.toml; readlink /opt/wso2/all-in-one/current'),
  lab.sh('gw-1', 'sha256sum /opt/wso2/gateway/current/repository/conf/deployment.toml; readlink /opt/wso2/gateway/current'),
]);

const ADMIN = ['admin', BASE_SECRETS['ADMIN_PASSWORD']!] as const;
const base = (host: string) => `https://${lab.address(host)}:9443`;
/** The Publisher REST API of a node, as an operator's client calls it: a token from that node (DCR, password grant), then Bearer. */
async function publisher(host: string, method: 'GET' | 'POST', body?: unknown, scope = 'apim:api_view apim:api_create'): Promise<{ status: number; body: string }> {
  return publisherApis(base(host), method, `Bearer ${await publisherToken(base(host), ...ADMIN, scope)}`, body);
}

let probeId: string;

beforeAll(async () => {
  inventory = deployWithGreen();
  const run = await provisionCli(inventory);
  if (run.code !== 0) throw new Error(`provision at 4.5.0 failed: ${failureSummary(run)}`);
}, 600_000);

describe('migrate on lab hosts (provision-green, verify-green)', () => {
  it('blue\'s publisher API writes an API record into apim_db (201) with a bearer token, and refuses what the product refuses', async () => {
    const PROBE = { name: 'MigProbe', context: '/migprobe', version: '1.0.0' };
    // OAuth2 as the product asks: no token, Basic of the admin, an unknown token are 401; a token without apim:api_create 403.
    expect((await publisherApis(base('aio-1'), 'POST', undefined, PROBE)).status).toBe(401);
    expect((await publisherApis(base('aio-1'), 'POST', basicAuthorization(...ADMIN), PROBE)).status).toBe(401);
    expect((await publisherApis(base('aio-1'), 'GET', 'Bearer not-a-token')).status).toBe(401);
    expect((await publisher('aio-1', 'POST', PROBE, 'apim:api_view')).status).toBe(403);
    expect((await publisher('aio-1', 'GET', undefined, 'apim:api_view')).status).toBe(200);
    const created = await publisher('aio-1', 'POST', { name: 'MigProbe', context: '/migprobe', version: '1.0.0' });
    expect(created.status, created.body).toBe(201);
    probeId = (JSON.parse(created.body) as { id: string }).id;
    expect((await publisher('aio-1', 'POST', { name: 'NoContext', version: '1.0.0' })).status).toBe(400);
    const listed = await publisher('aio-1', 'GET');
    expect(listed.status).toBe(200);
    expect((JSON.parse(listed.body) as { list: { id: string }[] }).list.map((a) => a.id)).toContain(probeId);
  }, 120_000);

  it('Ctrl-C in provision-green leaves blue as it was and serving; a re-run continues: green healthy at 4.6.0 on the green databases, /echo via the green-only path answered by 4.6.0, blue\'s record on green', async () => {
    const pids = await wso2Pids(lab, BLUE_NODES);
    const files = await blueFiles();
    const { code, out, sent } = await interruptCli(migrateArgs('--until', 'verify-green', '--json'), /"type":"step-start"[^\n]*"host":"aio-1-green"/);
    expect(sent, out.slice(-3000)).toBe(true);
    expect(code, out.slice(-3000)).toBe(130);
    expect((await runCli(['lock', 'status', '-i', inventory])).stdout).toMatch(/not locked/);
    expect((await echo()).status).toBe(200);
    expect(await wso2Pids(lab, BLUE_NODES)).toEqual(pids);
    expect(await blueFiles()).toEqual(files);

    const started = performance.now();
    const run = await runCli(migrateArgs('--until', 'verify-green'), { timeoutMs: 900_000 });
    console.log(`migrate --until verify-green (continued): exit ${run.code} in ${Math.round(performance.now() - started)} ms`);
    expect(run.code, run.stdout.slice(-4000) + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/continuing migration 4\.5\.0-to-4\.6\.0-/);
    expect(run.stdout).toContain('verify-green: GET http://');
    expect(run.stdout).toMatch(/API record\(s\) blue lists are on green/);

    const g = await greenEcho();
    expect(g.status).toBe(200);
    expect(JSON.parse(g.body)).toMatchObject({ version: '4.6.0' });
    const b = await echo();
    expect(b.status).toBe(200);
    expect(JSON.parse(b.body)).toMatchObject({ version: '4.5.0' });
    expect(await lab.sh('aio-1-green', 'grep -c "apim_db_460\\|shared_db_460" /opt/wso2/all-in-one/current/repository/conf/deployment.toml')).not.toBe('0\n');
    expect(await lab.sh('aio-1-green', 'readlink /opt/wso2/all-in-one/current')).toContain('4.6.0');
    const onGreen = await publisher('aio-1-green', 'GET');
    expect(onGreen.status).toBe(200);
    expect((JSON.parse(onGreen.body) as { list: { id: string; name: string }[] }).list).toContainEqual(expect.objectContaining({ id: probeId, name: 'MigProbe' }));
    expect(await wso2Pids(lab, BLUE_NODES)).toEqual(pids);
    expect(await blueFiles()).toEqual(files);

    // status: green probed as green's own inventory renders it (its checks, its version, its files): healthy at 4.6.0, no drift.
    const status = await runCli(['status', '-i', inventory], { timeoutMs: 180_000 });
    expect(status.stdout, status.stderr).toMatch(/aio-1\/all-in-one: 4\.5\.0, healthy +aio-1-green\/all-in-one: 4\.6\.0, healthy\n/);
    expect(status.stdout).toMatch(/gw-1\/gateway: 4\.5\.0, healthy +gw-1-green\/gateway: 4\.6\.0, healthy\n/);
    expect(status.stdout).toMatch(/traffic: lb-1 sends clients to BLUE/);

    const again = await runCli(migrateArgs('--until', 'verify-green', '--json'), { timeoutMs: 600_000 });
    expect(again.code, again.stdout.slice(-3000) + again.stderr).toBe(0);
    const greenChanged = again.events.filter((e) => e.type === 'step-end' && e.status === 'changed' && 'host' in e && GREEN.includes(String(e.host)));
    expect(greenChanged).toEqual([]);
    expect(await wso2Pids(lab, BLUE_NODES)).toEqual(pids);
  }, 1_500_000);

  it('migrate --finish before the switch is refused (exit 2), dry run too, and changes nothing: blue serves, its files and pids as they were, no migrated inventory', async () => {
    const pids = await wso2Pids(lab, BLUE_NODES);
    const files = await blueFiles();
    for (const extra of [[], ['--dry-run']]) {
      const r = await runCli(['migrate', '-i', inventory, '--to', '4.6.0', '--finish', ...extra], { timeoutMs: 180_000 });
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stdout + r.stderr).toMatch(/has not switched the balancers to green \(phases done: [^)]*verify-green\): blue still serves/);
    }
    expect(existsSync(inventory.replace(/\.ya?ml$/, '.migrated.yaml'))).toBe(false);
    expect((await runCli(['lock', 'status', '-i', inventory])).stdout).toMatch(/not locked/);
    expect(await wso2Pids(lab, BLUE_NODES)).toEqual(pids);
    expect(await blueFiles()).toEqual(files);
    const b = await echo();
    expect(b.status).toBe(200);
    expect(JSON.parse(b.body)).toMatchObject({ version: '4.5.0' });
  }, 600_000);
});
