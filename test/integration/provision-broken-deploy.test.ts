/**
 * A broken deploy on lab hosts: after a good pattern 3 provision, the database user's password is changed inside
 * PostgreSQL (so the control planes' configured one is now wrong) and a variable every WSO2 node reads changes. The
 * control planes restart and fail their health gate; the report carries the check's last answer and the log tail
 * with the authentication error; traffic managers and gateways are blocked: not stopped, not uploaded to, not
 * restarted. Exit code 5.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  baseVars, failureSummary, postgres, provisionCli, runCli, stepEnds, useLab, wso2Pids, type DeploymentFiles, type DeploymentSpec,
} from './support/index.js';

const HOSTS = ['db-1', 'lb-1', 'cp-1', 'cp-2', 'tm-1', 'gw-1'];
const DEPENDANTS = ['tm-1/traffic-manager', 'gw-1/gateway'];
const spec = (heap: string): DeploymentSpec => ({
  name: 'broken',
  pattern: 3,
  hosts: Object.fromEntries(HOSTS.map((h) => [h, {}])),
  roles: { database: ['db-1'], 'load-balancer': ['lb-1'], 'control-plane': ['cp-1', 'cp-2'], 'traffic-manager': ['tm-1'], gateway: ['gw-1'] },
  vars: { ...baseVars(postgres('db-1')), jvm_heap: heap },
});

const lab = useLab({ workspace: 'apim-prov-broken', lab: { name: 't-prov-b', names: HOSTS, subnet: '10.213.211.0/24' } });
let files: DeploymentFiles;

beforeAll(async () => {
  files = lab.deploy(spec('256m'));
  const good = await provisionCli(files.inventory);
  expect(good.code, failureSummary(good)).toBe(0);
}, 240_000);

const envFile = (host: string, role: string) => lab.sh(host, `cat /opt/wso2/${role}/wso2.env`);

describe('provision with a wrong database password for the control planes', () => {
  it('control planes fail health with the log tail; TMs and GWs blocked and untouched; exit 5', async () => {
    const before = await wso2Pids(lab, DEPENDANTS);
    const dependantEnv = await Promise.all([envFile('tm-1', 'traffic-manager'), envFile('gw-1', 'gateway')]);
    // The user's password in PostgreSQL changes; the inventory (what the control planes use) keeps the old one.
    await lab.exec('db-1', ['runuser', '-u', 'postgres', '--', 'psql', '-X', '-q', '-c', "ALTER ROLE apimadmin PASSWORD 'changed-behind-our-back'"])
      .then((r) => expect(r.code, r.stderr).toBe(0));
    files = lab.deploy(spec('320m'));

    const run = await provisionCli(files.inventory, '--health-timeout', '45');
    expect(run.code, failureSummary(run)).toBe(5);
    const ends = stepEnds(run.events);

    const failed = ends.filter((e) => e.status === 'failed');
    expect(failed.map((e) => e.stepId).sort()).toEqual(['cp-1/wait-healthy/control-plane', 'cp-2/wait-healthy/control-plane']);
    for (const f of failed) {
      expect(f.error?.name).toBe('HealthTimeoutError');
      expect(f.error?.detail).toMatch(/HTTP 503 from http:\/\/[\d.]+:9763\/services\/Version/); // the check's last answer
      expect(f.error?.detail).toContain('last lines of /opt/wso2/control-plane/current/repository/logs/wso2carbon.log');
      expect(f.error?.detail).toMatch(/password authentication failed for user "apimadmin"/);
    }

    for (const host of ['tm-1', 'gw-1']) {
      const steps = ends.filter((e) => e.host === host);
      expect(steps.length, host).toBeGreaterThan(0);
      expect(steps.map((e) => `${e.stepId}: ${e.status}`), host).toEqual(steps.map((e) => `${e.stepId}: blocked`));
      expect(steps.some((e) => e.kind === 'upload-file')).toBe(true); // the heap change was planned, not applied
    }
    expect(ends.filter((e) => (e.host === 'db-1' || e.host === 'lb-1') && e.status === 'changed')).toEqual([]);
    expect(await wso2Pids(lab, DEPENDANTS)).toEqual(before);
    expect(await Promise.all([envFile('tm-1', 'traffic-manager'), envFile('gw-1', 'gateway')])).toEqual(dependantEnv);
  }, 180_000);

  it('the plain report names the failed gate, its last answer and the auth error in the log tail; --report draws the run', async () => {
    const before = await wso2Pids(lab, DEPENDANTS);
    const html = join(lab.ws.dir, 'run.html');
    const run = await runCli(['provision', '-i', files.inventory, '--health-timeout', '45', '--report', html]);
    expect(run.code).toBe(5);
    const report = run.stdout + run.stderr;
    expect(report).toMatch(/cp-1/);
    expect(report).toMatch(/password authentication failed for user "apimadmin"/);
    expect(report).toMatch(/blocked/);
    // The timeline of the same run: the failed gates outlined, the blocked steps listed with the gate that blocked them.
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('FAILED (exit 5)');
    expect([...page.matchAll(/class="step failed gate"/g)]).toHaveLength(2);
    expect(page).toMatch(/<td>tm-1<\/td><td>[^<]+<\/td><td class="fail">blocked<\/td>/);
    expect(page).toMatch(/password authentication failed for user &quot;apimadmin&quot;/);
    expect(await wso2Pids(lab, DEPENDANTS)).toEqual(before);
  }, 180_000);
});
