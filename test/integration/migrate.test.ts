/**
 * `migrate --to 4.6.0` on lab hosts, first slice (docs/migrate.md): pattern 2 (all-in-one, gateway, nginx, PostgreSQL)
 * provisioned at 4.5.0, then `--dry-run` (every phase, nothing changed), then the database phases against the
 * lab's real PostgreSQL: blue's databases backed up (on the database host and on the controller), green copies
 * restored and moved to the 4.6.0 schema by the 4.6.0 pack's migration scripts, blue untouched and serving; Ctrl-C in
 * backup, green-databases or schema leaves blue as it was, and a re-run continues the same migration; one more
 * finds everything done.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { baseVars, failureSummary, httpGet, interruptCli, postgres, provisionCli, runCli, useLab, type DeploymentSpec } from './support/index.js';

const HOSTS = ['aio-1', 'gw-1', 'lb-1', 'db-1'];
const lab = useLab({ workspace: 'apim-i17m', versions: ['4.5.0', '4.6.0'], lab: { name: 't-i17m', names: HOSTS, subnet: '10.213.173.0/24' } });
const spec: DeploymentSpec = {
  name: 'mig', pattern: 2, version: '4.5.0',
  hosts: Object.fromEntries(HOSTS.map((h) => [h, {}])),
  roles: { 'all-in-one': ['aio-1'], gateway: ['gw-1'], 'load-balancer': ['lb-1'], database: ['db-1'] },
  vars: baseVars(postgres('db-1')),
};
let inventory: string;

const psql = async (db: string, sql: string) => (await lab.sh('db-1', `runuser -u postgres -- psql -X -At -d ${db} -c "${sql}"`)).trim();
const databases = () => psql('postgres', 'SELECT datname FROM pg_database ORDER BY datname');
const version = (db: string) => psql(db, 'SELECT schema_version FROM lab_schema_version');
const migrateArgs = (...extra: string[]) => ['migrate', '-i', inventory, '--to', '4.6.0', ...extra];
const echo = () => httpGet(`http://${lab.address('lb-1')}:8280/echo`);

beforeAll(async () => {
  inventory = lab.deploy(spec).inventory;
  // Green partners on addresses of the lab's subnet no blue host uses: this slice plans green, it does not build it.
  appendFileSync(inventory, 'green:\n  aio-1: { address: 10.213.173.201 }\n  gw-1: { address: 10.213.173.202 }\n');
  const run = await provisionCli(inventory);
  if (run.code !== 0) throw new Error(`provision at 4.5.0 failed: ${failureSummary(run)}`);
  // Data blue holds before the migration: an API record, as the publisher writes it.
  await psql('apim_db', "SET ROLE apimadmin; INSERT INTO am_api (api_uuid, api_provider, api_name, api_version, context) VALUES ('mig-probe-1', 'admin', 'MigProbe', '1.0', '/migprobe')");
}, 420_000);

describe('migrate on lab hosts (database phases)', () => {
  it('refuses without the write-window choice; --dry-run prints every phase from today\'s facts and changes nothing', async () => {
    const refused = await runCli(migrateArgs('--dry-run'));
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--read-only-window or --accept-write-loss/);
    const before = [await databases(), await lab.sh('db-1', 'ls -R /var/lib/apim-deploy/migrations 2>&1; true')];
    const started = performance.now();
    const run = await runCli(migrateArgs('--read-only-window', '--dry-run'), { timeoutMs: 180_000 });
    console.log(`migrate --dry-run: exit ${run.code} in ${Math.round(performance.now() - started)} ms`);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^migrate preview: 4\.5\.0 → 4\.6\.0; nothing was changed, no lock taken/);
    expect([...run.stdout.matchAll(/^== phase \d\/7: ([a-z-]+):/gm)].map((m) => m[1]))
      .toEqual(['backup', 'green-databases', 'schema', 'provision-green', 'verify-green', 'switch', 'keep-blue']);
    expect(run.stdout).toContain('databases on db-1: apim_db → apim_db_460, shared_db → shared_db_460');
    expect(run.stdout).toMatch(/\$ runuser -u postgres -- pg_dump -Fc -f \/var\/lib\/apim-deploy\/migrations\/4\.5\.0-to-4\.6\.0-\d{8}T\d{6}Z\/apim_db-4\.5\.0-\d{8}T\d{6}Z\.dump apim_db/);
    expect(run.stdout).toContain('migration-4.5.0_to_4.6.0/shared_db/postgresql.sql');
    expect(run.stdout).toContain('aio-1-green (10.213.173.201, partner of aio-1): all-in-one at 4.6.0');
    expect(run.stdout).toContain('read-only window');
    expect(run.stdout).not.toContain('it-Admin-pw1');
    expect([await databases(), await lab.sh('db-1', 'ls -R /var/lib/apim-deploy/migrations 2>&1; true')]).toEqual(before);
    expect((await runCli(['lock', 'status', '-i', inventory])).stdout).toMatch(/not locked/);
  }, 240_000);

  it('--until schema, Ctrl-C in backup, green-databases and schema: blue untouched and serving each time; a re-run continues the same migration: blue backed up, green copies restored and migrated to 4.6.0; a third run finds it all done', async () => {
    let id: string | undefined;
    // Each interrupted run is the re-run of the one before: one migration throughout, blue as it was after each.
    for (const [phase, at] of [['backup', 'migrate-backup-shared_db"'], ['green-databases', 'migrate-restore-shared_db_460"'], ['schema', 'migrate-schema-']] as const) {
      const { code, out, sent } = await interruptCli(migrateArgs('--accept-write-loss', '--until', 'schema', '--json'), new RegExp(`"type":"step-start"[^\\n]*"stepId":"db-1/run-once/${at}`));
      expect(sent, `${phase}: ${out.slice(-3000)}`).toBe(true);
      expect(code, `${phase}: ${out.slice(-3000)}`).toBe(130);
      if (id === undefined) id = /starting migration (4\.5\.0-to-4\.6\.0-\d{8}T\d{6}Z)/.exec(out)?.[1];
      else expect(out, phase).toContain(`continuing migration ${id}`);
      expect(id, out.slice(-3000)).toBeDefined();
      expect((await runCli(['lock', 'status', '-i', inventory])).stdout, phase).toMatch(/not locked/);
      expect([await version('apim_db'), await version('shared_db')], phase).toEqual(['4.5.0', '4.5.0']);
      expect((await echo()).status, phase).toBe(200);
    }

    const started = performance.now();
    const run = await runCli(migrateArgs('--accept-write-loss', '--until', 'schema'), { timeoutMs: 300_000 });
    console.log(`migrate --until schema (continued): exit ${run.code} in ${Math.round(performance.now() - started)} ms`);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain(`continuing migration ${id}`);
    expect(await databases()).toContain('apim_db_460');
    expect(await databases()).toContain('shared_db_460');
    expect([await version('apim_db_460'), await version('shared_db_460')]).toEqual(['4.6.0', '4.6.0']);
    expect([await version('apim_db'), await version('shared_db')]).toEqual(['4.5.0', '4.5.0']);
    expect(await psql('apim_db_460', "SELECT api_name FROM am_api WHERE api_uuid = 'mig-probe-1'")).toBe('MigProbe');
    expect(await psql('apim_db_460', "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'apim_db_460'")).toBe('apimadmin');
    expect(await psql('apim_db_460', "SELECT tableowner FROM pg_tables WHERE tablename = 'am_api'")).toBe('apimadmin');
    expect((await echo()).status).toBe(200);

    // The backups: on the database host and, byte for byte, on the controller beside the inventory.
    const local = join(dirname(inventory), '.apim-deploy', 'migrations', id!);
    const dumps = readdirSync(local).filter((f) => f.endsWith('.dump')).sort();
    expect(dumps).toEqual([`apim_db-4.5.0-${id!.slice(-16)}.dump`, `shared_db-4.5.0-${id!.slice(-16)}.dump`]);
    for (const f of dumps) {
      const remote = (await lab.sh('db-1', `sha256sum /var/lib/apim-deploy/migrations/${id}/${f}`)).split(' ')[0];
      expect(createHash('sha256').update(readFileSync(join(local, f))).digest('hex')).toBe(remote);
    }
    expect(JSON.parse(readFileSync(join(local, 'migration.json'), 'utf8'))).toMatchObject({ id, from: '4.5.0', to: '4.6.0', window: 'accept-loss', phasesDone: ['backup', 'green-databases', 'schema'] });

    const again = await runCli(migrateArgs('--accept-write-loss', '--until', 'schema', '--json'), { timeoutMs: 300_000 });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toContain(`continuing migration ${id}`);
    const ends = again.events.filter((e) => e.type === 'step-end' && e.kind === 'run-once');
    expect(ends.length).toBe(8);
    expect(ends.every((e) => e.type === 'step-end' && e.status === 'unchanged')).toBe(true);
    // Nothing is uploaded or made again: the scripts and folders of done steps are left out of the plan.
    const changed = again.events.filter((e) => e.type === 'step-end' && e.status === 'changed').map((e) => ('stepId' in e ? e.stepId : '?'));
    expect(changed, 'a third run changes nothing').toEqual([]);
    const dry = await runCli(migrateArgs('--accept-write-loss', '--dry-run'));
    expect(dry.stdout).toContain(`continues ${id}`);
    expect(dry.stdout.match(/\[done: a run skips it\]/g)?.length).toBe(8);
    expect(existsSync(local)).toBe(true);
  }, 600_000);
});
