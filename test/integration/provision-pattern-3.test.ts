/**
 * `apim-deploy provision` of pattern 3 on 8 lab hosts (2 control planes, 2 traffic managers, 2 gateways, nginx,
 * PostgreSQL) through the real CLI: health from the outside, /echo through nginx, starts in dependency waves;
 * a re-run changes nothing; a variable changed for one gateway restarts that gateway alone. One lab for the file.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/model/events.js';
import {
  baseVars, changedCount, failureSummary, healthEndpoints, httpGet, postgres, provisionCli, stepEnds, unhealthyEndpoints, useLab, wso2Pids, type DeploymentFiles, type DeploymentSpec,
} from './support/index.js';

const WSO2_NODES = ['cp-1/control-plane', 'cp-2/control-plane', 'tm-1/traffic-manager', 'tm-2/traffic-manager', 'gw-1/gateway', 'gw-2/gateway'];
const HOSTS = ['cp-1', 'cp-2', 'tm-1', 'tm-2', 'gw-1', 'gw-2', 'lb-1', 'db-1'];
const spec = (gw2Vars: Record<string, unknown> = {}): DeploymentSpec => ({
  name: 'p3',
  pattern: 3,
  hosts: Object.fromEntries(HOSTS.map((h) => [h, h === 'gw-2' ? gw2Vars : {}])),
  roles: { 'control-plane': ['cp-1', 'cp-2'], 'traffic-manager': ['tm-1', 'tm-2'], gateway: ['gw-1', 'gw-2'], 'load-balancer': ['lb-1'], database: ['db-1'] },
  vars: baseVars(postgres('db-1')),
});

const lab = useLab({ workspace: 'apim-prov-p3', lab: { name: 't-prov-b', names: HOSTS, subnet: '10.213.211.0/24' } });
let files: DeploymentFiles;
let firstRun: readonly RunEvent[] = [];

beforeAll(async () => {
  files = lab.deploy(spec());
}, 180_000);

/** Lines of a host's audit log (/var/log/apim-deploy/audit.log; none before the first run that wrote there). */
async function auditLines(host: string): Promise<string[]> {
  return (await lab.sh(host, 'cat /var/log/apim-deploy/audit.log 2>/dev/null || true')).split('\n').filter((l) => l !== '');
}

/** Position in the event stream of each `role` step of a kind, by whether it started or ended. */
function positions(events: readonly RunEvent[], type: 'step-start' | 'step-end', kind: string, role: string): number[] {
  return events.flatMap((e, i) => (e.type === type && e.kind === kind && e.stepId.endsWith(`/${kind}/${role}`) ? [i] : []));
}

describe('provision pattern 3 on 8 lab hosts', () => {
  it('cold: every node healthy from the outside, /echo through nginx, 0 exit', async () => {
    const run = await provisionCli(files.inventory);
    expect(run.stderr).toBe('');
    expect(run.code, failureSummary(run)).toBe(0);
    firstRun = run.events;
    expect(await unhealthyEndpoints(await healthEndpoints(files.inventory))).toEqual([]);
    const echo = await httpGet(`https://${lab.address('lb-1')}:8243/echo`);
    expect(echo.status).toBe(200);
    // The lab JDK (about 17 MB, on the six WSO2 hosts) crossed the controller's link once: the others copied it from a peer.
    const copies = stepEnds(run.events).filter((e) => e.kind === 'peer-fetch');
    expect(copies.map((e) => e.host).sort()).toEqual(['cp-2', 'gw-1', 'gw-2', 'tm-1', 'tm-2']);
    expect(copies.filter((e) => e.status !== 'changed' || e.warnings.length > 0)).toEqual([]);
  }, 240_000);

  it('starts in waves: db and lb, then control planes healthy before any TM starts, TMs healthy before any GW starts', () => {
    const started = (role: string) => positions(firstRun, 'step-start', 'start-component', role);
    const healthy = (role: string) => positions(firstRun, 'step-end', 'wait-healthy', role);
    for (const role of ['database', 'load-balancer', 'control-plane', 'traffic-manager', 'gateway']) {
      expect(started(role).length, `${role} started`).toBeGreaterThan(0);
    }
    expect(Math.max(...healthy('database'))).toBeLessThan(Math.min(...started('control-plane')));
    expect(Math.max(...healthy('load-balancer'))).toBeLessThan(Math.min(...started('traffic-manager')));
    expect(Math.max(...healthy('control-plane'))).toBeLessThan(Math.min(...started('traffic-manager')));
    expect(Math.max(...healthy('traffic-manager'))).toBeLessThan(Math.min(...started('gateway')));
    expect(stepEnds(firstRun).filter((e) => e.kind === 'wait-healthy').every((e) => e.status === 'ok' || e.status === 'changed')).toBe(true);
  });

  it('a re-run changes nothing and restarts nothing', async () => {
    const before = await wso2Pids(lab, WSO2_NODES);
    for (const pid of Object.values(before)) expect(pid).toBeGreaterThan(0);
    const [lockLog, gwLog] = [await auditLines('cp-1'), await auditLines('gw-1')];
    const run = await provisionCli(files.inventory);
    expect(run.code, failureSummary(run)).toBe(0);
    expect(changedCount(run.events)).toBe(0);
    expect(stepEnds(run.events).map((e) => e.kind).filter((k) => k !== 'wait-healthy')).toEqual([]);
    expect(await wso2Pids(lab, WSO2_NODES)).toEqual(before);
    // Nothing to change: every node is verified at once, not layer after layer.
    expect(run.events.filter((e) => e.type === 'wave-start').map((e) => e.label)).toEqual(['verify']);
    // The lock host records the run; a host the run only read does not.
    expect((await auditLines('cp-1')).slice(lockLog.length).map((l) => JSON.parse(l).outcome)).toEqual(['started', 'ok']);
    expect(await auditLines('gw-1')).toEqual(gwLog);
  }, 120_000);

  it('a variable changed for gw-2 restarts gw-2 alone', async () => {
    const before = await wso2Pids(lab, WSO2_NODES);
    const [gw1Log, gw2Log] = [await auditLines('gw-1'), await auditLines('gw-2')];
    files = lab.deploy(spec({ jvm_heap: '384m' }));
    const run = await provisionCli(files.inventory);
    expect(run.code, failureSummary(run)).toBe(0);
    // The host the run changed records it; one it only verified does not.
    expect((await auditLines('gw-2')).slice(gw2Log.length).map((l) => JSON.parse(l).outcome)).toEqual(['started', 'ok']);
    expect(await auditLines('gw-1')).toEqual(gw1Log);
    const changedHosts = new Set(stepEnds(run.events).filter((e) => e.status === 'changed').map((e) => e.host));
    expect([...changedHosts]).toEqual(['gw-2']);
    const after = await wso2Pids(lab, WSO2_NODES);
    expect(after['gw-2/gateway']).not.toBe(before['gw-2/gateway']);
    expect(after['gw-2/gateway']).toBeGreaterThan(0);
    const { 'gw-2/gateway': _a, ...othersAfter } = after;
    const { 'gw-2/gateway': _b, ...othersBefore } = before;
    expect(othersAfter).toEqual(othersBefore);
    expect((await lab.sh('gw-2', 'cat /opt/wso2/gateway/wso2.env'))).toContain('384m');
  }, 180_000);

  it('a gateway whose truststore lost the internal CA stays unready: the report carries JSSE\'s PKIX error from its log', async () => {
    // Every node trusts the balancer through the internal CA imported at provision time (setup gateway-trusts-internal-ca).
    const store = '/opt/wso2/gateway/current/repository/resources/security/client-truststore.jks';
    const list = (host: string) => lab.sh(host, `/opt/wso2/jdk/current/bin/keytool -list -keystore ${store} -storepass wso2carbon`);
    for (const host of ['gw-1', 'gw-2']) expect(await list(host)).toContain('apim-deploy-ca');
    // Someone removes it from gw-2 by hand (the setup's marker stays: apim-deploy does not import it again).
    await lab.sh('gw-2', `/opt/wso2/jdk/current/bin/keytool -delete -alias apim-deploy-ca -keystore ${store} -storepass wso2carbon`);
    expect(await list('gw-2')).not.toContain('apim-deploy-ca');
    files = lab.deploy(spec({ jvm_heap: '320m' })); // a change that restarts gw-2 alone
    const run = await provisionCli(files.inventory, '--health-timeout', '45');
    expect(run.code, failureSummary(run)).toBe(5);
    const failed = stepEnds(run.events).filter((e) => e.status === 'failed');
    expect(failed.map((e) => e.stepId)).toEqual(['gw-2/wait-healthy/gateway']);
    expect(failed[0]!.error?.detail).toContain('last lines of /opt/wso2/gateway/current/repository/logs/wso2carbon.log');
    expect(failed[0]!.error?.detail).toContain('PKIX path building failed');
    expect(run.stdout + run.stderr).toContain('PKIX path building failed');
    // gw-1 still trusts the balancer and serves through it.
    expect((await httpGet(`https://${lab.address('gw-1')}:8243/echo`)).status).toBe(200);
  }, 240_000);
});
