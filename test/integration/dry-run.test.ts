/**
 * The dry run through the real CLI on lab hosts (pattern 2: all-in-one, gateway, nginx, PostgreSQL): it shows what
 * provision would do and never writes, proven by checksumming every host's /opt and /etc around it; a saved plan
 * runs only while no host changed since it was made.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  baseVars, failureSummary, postgres, provisionCli, runCli, useLab, type CliResult, type DeploymentFiles, type DeploymentSpec,
} from './support/index.js';

const HOSTS = ['aio-1', 'gw-1', 'lb-1', 'db-1'];
const OLD_ADMIN = 'dry-Admin-Old-7f3';
const NEW_ADMIN = 'dry-Admin-New-9c1';
const spec = (opts: { gwVars?: Record<string, unknown>; admin?: string } = {}): DeploymentSpec => ({
  name: 'dry',
  pattern: 2,
  hosts: Object.fromEntries(HOSTS.map((h) => [h, h === 'gw-1' ? (opts.gwVars ?? {}) : {}])),
  roles: { 'all-in-one': ['aio-1'], gateway: ['gw-1'], 'load-balancer': ['lb-1'], database: ['db-1'] },
  vars: baseVars(postgres('db-1')),
  secrets: { ADMIN_PASSWORD: opts.admin ?? OLD_ADMIN },
});

const lab = useLab({ workspace: 'apim-dry', lab: { name: 't-dry', names: HOSTS, subnet: '10.213.220.0/24' } });
let files: DeploymentFiles;

beforeAll(async () => {
  files = lab.deploy(spec());
}, 180_000);

/**
 * sha256 of every regular file under /opt and /etc of every host, sorted. Logs and PID-less runtime scratch that
 * running nodes write on their own are left out: they change with or without us.
 */
async function checksums(): Promise<Record<string, string>> {
  const script = "find /opt /etc -xdev -type f ! -path '*/logs/*' ! -name '*.log' ! -path '*/tmp/*' -exec sha256sum {} + | sort -k2";
  const sums = await Promise.all(HOSTS.map(async (h) => [h, await lab.sh(h, script)] as const));
  return Object.fromEntries(sums);
}

/** `apim-deploy plan`; prints how long it took (a figure, not an assertion). */
async function plan(...extra: string[]): Promise<CliResult> {
  const started = performance.now();
  const run = await runCli(['plan', '-i', files.inventory, ...extra]);
  console.log(`plan ${extra.join(' ')}: exit ${run.code} in ${Math.round(performance.now() - started)} ms`);
  return run;
}
const mutatingHosts = (json: string): string[] =>
  (JSON.parse(json) as { hosts: { host: string; status: string }[] }).hosts.filter((h) => h.status === 'changes').map((h) => h.host);

describe('dry run on lab hosts', () => {
  it('fresh lab: every host "to install", exit 2 with --detailed-exitcode, nothing written', async () => {
    const before = await checksums();
    const run = await plan('--detailed-exitcode');
    expect(run.code, run.stderr).toBe(2);
    for (const h of HOSTS) expect(run.stdout).toMatch(new RegExp(`^${h}$`, 'm'));
    expect(run.stdout).not.toMatch(/no changes/);
    expect(run.stdout).toMatch(/start all-in-one: not running/);
    const json = await runCli(['provision', '-i', files.inventory, '--dry-run', '--json']);
    expect(json.code, json.stderr).toBe(0);
    const doc = JSON.parse(json.stdout) as { format: number; kind: string; changesPending: boolean };
    expect(doc).toMatchObject({ format: 3, kind: 'apim-deploy-plan', changesPending: true });
    expect(mutatingHosts(json.stdout).sort()).toEqual([...HOSTS].sort());
    expect(await checksums()).toEqual(before);
  }, 120_000);

  it('after provision: one line per host, exit 0, nothing written', async () => {
    const run = await provisionCli(files.inventory);
    expect(run.code, failureSummary(run)).toBe(0);
    const before = await checksums();
    // The proof covers what provision wrote: configs, releases, the JDK.
    expect(before['aio-1']).toContain('/opt/wso2/all-in-one/releases/');
    expect(before['gw-1']).toMatch(/\/opt\/wso2\/gateway\/releases\/.*\/repository\/conf\/deployment\.toml/);
    expect(before['lb-1']).toContain('/etc/nginx/nginx.conf');
    const dry = await plan('--detailed-exitcode');
    expect(dry.code, dry.stdout + dry.stderr).toBe(0);
    for (const h of HOSTS) expect(dry.stdout).toContain(`${h}: no changes (everything up to date)`);
    expect(dry.stdout).toMatch(/^No changes pending/m);
    expect(await checksums()).toEqual(before);
  }, 300_000);

  it('one variable edited for gw-1: exactly gw-1, with the diff read from the host', async () => {
    files = lab.deploy(spec({ gwVars: { jvm_heap: '384m' } }));
    const dry = await plan('--detailed-exitcode');
    expect(dry.code, dry.stderr).toBe(2);
    expect(dry.stdout).toContain("-JVM_MEM_OPTS='-Xms256m -Xmx256m'");
    expect(dry.stdout).toContain("+JVM_MEM_OPTS='-Xms384m -Xmx384m'");
    for (const h of ['aio-1', 'lb-1', 'db-1']) expect(dry.stdout).toContain(`${h}: no changes`);
    expect(mutatingHosts((await plan('--json')).stdout)).toEqual(['gw-1']);
    const limited = await plan('--limit', 'aio-*,load-balancer', '--detailed-exitcode');
    expect(limited.code, limited.stderr).toBe(0);
    expect(limited.stdout).not.toMatch(/gw-1|db-1/);
    files = lab.deploy(spec());
  }, 120_000);

  it('a secret changed: the key and ***, never the old or new value, in text or JSON', async () => {
    files = lab.deploy(spec({ admin: NEW_ADMIN }));
    const text = await plan('--detailed-exitcode');
    expect(text.code, text.stderr).toBe(2);
    expect(text.stdout).toContain('[super_admin] password: changed (*** → ***)');
    const json = await plan('--json');
    expect(json.stdout).toContain('[super_admin] password: changed (*** → ***)');
    for (const out of [text.stdout, text.stderr, json.stdout, json.stderr]) {
      expect(out).not.toContain(OLD_ADMIN);
      expect(out).not.toContain(NEW_ADMIN);
    }
  }, 120_000);

  it('a saved plan is refused, touching nothing, after someone changed a host; a fresh one applies', async () => {
    const planFile = join(lab.ws.dir, 'plan.json');
    const saved = await plan('--out', planFile);
    expect(saved.code, saved.stderr).toBe(0);
    expect(saved.stderr).toContain(`Plan saved to ${planFile}`);
    await lab.sh('lb-1', 'echo "# hand edit at 3 a.m." >> /etc/nginx/nginx.conf');
    const before = await checksums();
    const refused = await runCli(['provision', '-i', files.inventory, '--plan', planFile]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/lb-1: 1 host\(s\) changed since the plan was made/);
    expect(refused.stderr).toMatch(/lb-1: file \/etc\/nginx\/nginx\.conf: sha256 [0-9a-f]{12} → sha256 [0-9a-f]{12}/);
    expect(await checksums()).toEqual(before);

    expect((await plan('--out', planFile)).code).toBe(0);
    const applied = await runCli(['provision', '-i', files.inventory, '--plan', planFile, '--json']);
    expect(applied.code, failureSummary(applied)).toBe(0);
    const after = await plan('--detailed-exitcode');
    expect(after.code, after.stdout).toBe(0);
  }, 300_000);
});
