/**
 * Drop-in files (`files:`, issue 12) on a small pattern 2 (all-in-one with PostgreSQL, one gateway, nginx): a bundle
 * JAR built here lands in every WSO2 node's repository/components/dropins and the simulator installs it as Carbon's
 * launcher does; a templated log4j2.properties on the gateway host lands rendered. A second plan has nothing to do;
 * changing the gateway host's file restarts the gateway alone; an upgrade to 4.6.0 update level 4 carries both into the
 * new releases before they start.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeZip } from '../../src/lab/dist/zip-writer.js';
import { currentVersions } from './support/rollout-state.js';
import { baseVars, failureSummary, postgres, provisionCli, runCli, useLab, waitFor, wso2Pids, type DeploymentSpec } from './support/index.js';

const HOSTS = ['aio-1', 'gw-1', 'lb-1'];
const WSO2 = ['aio-1/all-in-one', 'gw-1/gateway'];
const lab = useLab({ workspace: 'apim-dropins', versions: ['4.6.0', '4.6.0.4'], lab: { name: 't-i12f', names: HOSTS, subnet: '10.213.162.0/24' } });

const JAR = 'audit-handler_1.0.0.jar';
/** A real OSGi bundle, as small as one gets: a manifest with the headers the launcher requires, and one class entry. */
const jar = writeZip([
  { path: 'META-INF/MANIFEST.MF', mode: 0o644, data: Buffer.from('Manifest-Version: 1.0\r\nBundle-ManifestVersion: 2\r\nBundle-SymbolicName: com.example.audit;singleton:=true\r\nBundle-Version: 1.0.0\r\n\r\n') },
  { path: 'com/example/audit/AuditHandler.class', mode: 0o644, data: Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 61]) },
]);
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
let inventory: string;
let filesDir: string;

const spec = (version: string): DeploymentSpec => ({
  name: 'dropins', pattern: 2, version,
  hosts: {
    'aio-1': {},
    'gw-1': { files: [{ src: join(filesDir, 'log4j2.properties.eta'), dest: 'repository/conf/log4j2.properties', template: true, mode: '0640' }] },
    'lb-1': {},
  },
  roles: { database: ['aio-1'], 'all-in-one': ['aio-1'], gateway: ['gw-1'], 'load-balancer': ['lb-1'] },
  vars: { ...baseVars(postgres('aio-1')), files: [{ src: join(filesDir, JAR), dest: 'repository/components/dropins/' }] },
});

const home = (node: string) => `/opt/wso2/${node.split('/')[1]}/current`;
const carbonLog = (node: string) => lab.sh(node.split('/')[0]!, `cat ${home(node)}/repository/logs/wso2carbon.log`);

beforeAll(async () => {
  filesDir = join(lab.ws.dir, 'files');
  mkdirSync(filesDir, { recursive: true });
  writeFileSync(join(filesDir, JAR), jar);
  writeFileSync(join(filesDir, 'log4j2.properties.eta'), '# log4j2 for <%= it.host %> (<%= it.role %>)\nrootLogger.level = INFO\n');
  inventory = lab.deploy(spec('4.6.0')).inventory;
  const run = await provisionCli(inventory);
  if (run.code !== 0) throw new Error(`provision at 4.6.0 failed: ${failureSummary(run)}`);
}, 400_000);

describe('drop-in files on lab hosts', () => {
  it('the JAR lands in every WSO2 node and the node installs the bundle; the template lands rendered; a second plan has nothing to do', async () => {
    for (const node of WSO2) {
      const host = node.split('/')[0]!;
      const stat = await lab.sh(host, `stat -c '%a %U:%G' ${home(node)}/repository/components/dropins/${JAR}; sha256sum < ${home(node)}/repository/components/dropins/${JAR}`);
      expect(stat.split('\n')[0]).toBe('644 wso2carbon:wso2');
      expect(stat).toContain(sha256(jar));
      expect(await carbonLog(node)).toContain(`Deploying bundle: ../dropins/${JAR} (com.example.audit 1.0.0)`);
    }
    expect(await lab.sh('gw-1', `stat -c '%a %U:%G' ${home('gw-1/gateway')}/repository/conf/log4j2.properties; cat ${home('gw-1/gateway')}/repository/conf/log4j2.properties`))
      .toBe('640 wso2carbon:wso2\n# log4j2 for gw-1 (gateway)\nrootLogger.level = INFO\n');
    expect((await lab.exec('aio-1', ['test', '-e', `${home('aio-1/all-in-one')}/repository/conf/log4j2.properties.eta`])).code).not.toBe(0);
    const again = await runCli(['plan', '-i', inventory, '--detailed-exitcode'], { timeoutMs: 120_000 });
    expect(again.code, again.stdout + again.stderr).toBe(0);
  }, 180_000);

  it("changing the gateway host's file shows its diff and restarts the gateway alone", async () => {
    writeFileSync(join(filesDir, 'log4j2.properties.eta'), '# log4j2 for <%= it.host %> (<%= it.role %>)\nrootLogger.level = DEBUG\n');
    const plan = await runCli(['plan', '-i', inventory], { timeoutMs: 120_000 });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/-rootLogger\.level = INFO\n\s*\+rootLogger\.level = DEBUG/);
    expect(plan.stdout).toMatch(/restart: \S+log4j2\.properties changed/);
    expect(plan.stdout).not.toMatch(/aio-1.*stop|stop.*all-in-one/);
    const before = await wso2Pids(lab, WSO2);
    const run = await provisionCli(inventory);
    expect(run.code, failureSummary(run)).toBe(0);
    const after = await wso2Pids(lab, WSO2);
    expect(after['aio-1/all-in-one']).toBe(before['aio-1/all-in-one']);
    expect(after['gw-1/gateway']).not.toBe(before['gw-1/gateway']);
    expect(await lab.sh('gw-1', `cat ${home('gw-1/gateway')}/repository/conf/log4j2.properties`)).toContain('rootLogger.level = DEBUG');
  }, 400_000);

  it('an upgrade to 4.6.0 update level 4 puts both into the new releases before they start', async () => {
    const releases = async () => Promise.all(WSO2.map((node) => lab.sh(node.split('/')[0]!, `readlink -f ${home(node)}`)));
    const before = await releases();
    inventory = lab.deploy(spec('4.6.0.4')).inventory;
    const run = await runCli(['upgrade', '-i', inventory, '--json', '--health-timeout', '120'], { timeoutMs: 600_000 });
    expect(run.code, run.stderr + run.stdout.slice(-4000)).toBe(0);
    expect(await currentVersions(lab, WSO2)).toEqual({ 'aio-1/all-in-one': '4.6.0.4', 'gw-1/gateway': '4.6.0.4' });
    const after = await releases();
    after.forEach((release, i) => expect(release, WSO2[i]).not.toBe(before[i]));
    for (const node of WSO2) {
      const host = node.split('/')[0]!;
      expect(await lab.sh(host, `readlink -f ${home(node)}; sha256sum < ${home(node)}/repository/components/dropins/${JAR}`)).toMatch(new RegExp(`4\\.6\\.0-[0-9a-f]{8}\\n${sha256(jar)}`));
      // The log is persistent data: the update level 4 start is its last "Starting" line, and it installed the bundle after it.
      await waitFor(`${node} to log the bundle after its 4.6.0 update level 4 start`, async () => {
        const log = await carbonLog(node);
        const lastStart = log.lastIndexOf('simulated');
        return lastStart >= 0 && log.slice(lastStart).includes('4.6.0, update level 4') && log.slice(lastStart).includes(`Deploying bundle: ../dropins/${JAR}`);
      }, { timeoutMs: 60_000 });
    }
    expect(await lab.sh('gw-1', `cat ${home('gw-1/gateway')}/repository/conf/log4j2.properties`)).toBe('# log4j2 for gw-1 (gateway)\nrootLogger.level = DEBUG\n');
  }, 600_000);
});
