/**
 * deployment_toml and jvm_options on one lab host (pattern 0, all-in-one, H2), through the real CLI: an extra TOML
 * key (a CORS origin, a gateway token cache) and a secret in an appended [[event_listener]] land in the host's
 * deployment.toml and the running node starts with them; a JVM option reaches the running process's command line
 * (the start script passes $JAVA_OPTS to java, the simulator's the same way). A changed override shows in
 * `provision --dry-run` key by key with the value masked. `upgrade`, `provision` and `plan` across versions (4.5.0 → 4.6.0) are refused
 * before anything changes on the host; an update-level upgrade (4.5.0 → 4.5.0 update level 3) rolls, and the new
 * release gets the overrides too.
 */
import { parse } from 'smol-toml';
import { beforeAll, describe, expect, it } from 'vitest';
import { currentVersions } from './support/rollout-state.js';
import {
  baseVars, failureSummary, healthEndpoints, provisionCli, runCli, unhealthyEndpoints, useLab, wso2Pids, type DeploymentFiles, type DeploymentSpec,
} from './support/index.js';

const NODE = 'aio-1/all-in-one';
const TOML = '/opt/wso2/all-in-one/current/repository/conf/deployment.toml';
const AUDIT_TOKEN = 'it-audit-token-0x5e';
const lab = useLab({ workspace: 'apim-i12t', versions: ['4.5.0', '4.6.0', '4.5.0.3'], lab: { name: 't-i12t', names: ['aio-1'], subnet: '10.213.161.0/24' } });
let files: DeploymentFiles;

const spec = (version: string, origin: string): DeploymentSpec => ({
  name: 'i12t', pattern: 0, version, hosts: { 'aio-1': {} }, roles: { 'all-in-one': ['aio-1'] },
  vars: {
    ...baseVars({ type: 'h2' }),
    jvm_options: ['-XX:+UseSerialGC', '-Dapim.i12t.marker=on'],
    deployment_toml: {
      apim: { cors: { allow_origins: origin }, cache: { gateway_token: { enable: true, expiry_time: 900 } } },
      event_listener: [{ id: 'i12t_audit', type: 'org.wso2.carbon.identity.core.handler.AbstractIdentityHandler', name: 'org.example.Audit', order: 9, properties: { token: '${AUDIT_TOKEN}' } }],
    },
  },
  secrets: { AUDIT_TOKEN },
});

async function hostToml(): Promise<Record<string, any>> {
  return parse(await lab.sh('aio-1', `cat ${TOML}`)) as Record<string, any>;
}

/** The running node's command line as `ps` shows it (the simulator keeps its JVM options there, as java does). */
async function runningArgs(): Promise<string[]> {
  const pid = (await wso2Pids(lab, [NODE]))[NODE];
  expect(pid).toBeGreaterThan(0);
  return (await lab.sh('aio-1', `tr '\\0' ' ' < /proc/${pid}/cmdline`)).trim().split(/\s+/);
}

async function expectOverridesLanded(): Promise<void> {
  const doc = await hostToml();
  expect(doc['apim']['cors']['allow_origins']).toBe('https://portal.i12t.example');
  expect(doc['apim']['cache']['gateway_token']).toEqual({ enable: true, expiry_time: 900 });
  expect(doc['event_listener'].map((l: { id: string }) => l.id)).toEqual(['token_revocation', 'i12t_audit']);
  expect(doc['event_listener'][1]['properties']['token']).toBe(AUDIT_TOKEN);
  const args = await runningArgs();
  expect(args).toContain('-XX:+UseSerialGC');
  expect(args).toContain('-Dapim.i12t.marker=on');
  expect(args).toContain('-Xms256m');
  expect(await unhealthyEndpoints(await healthEndpoints(files.inventory))).toEqual([]);
}

beforeAll(() => {
  files = lab.deploy(spec('4.5.0', 'https://portal.i12t.example'));
});

describe('deployment_toml and jvm_options on a lab host', () => {
  it('provision: the extra keys land in deployment.toml, the JVM options on the running process, and the node is healthy', async () => {
    const run = await provisionCli(files.inventory);
    expect(run.code, failureSummary(run)).toBe(0);
    await expectOverridesLanded();
    expect(await lab.sh('aio-1', 'cat /opt/wso2/all-in-one/wso2.env')).toContain("JAVA_OPTS='-XX:+UseSerialGC -Dapim.i12t.marker=on'");
  }, 240_000);

  it('a changed override shows key by key in a dry run, its value masked, and nothing changes on the host', async () => {
    const changed = lab.deploy(spec('4.5.0', 'https://other.i12t.example'));
    const before = await lab.sh('aio-1', `sha256sum ${TOML}`);
    const dry = await runCli(['provision', '-i', changed.inventory, '--dry-run'], { timeoutMs: 120_000 });
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('[apim.cors] allow_origins: changed (*** → ***)');
    expect(dry.stdout).not.toContain('other.i12t.example');
    expect(dry.stdout).not.toContain(AUDIT_TOKEN);
    expect(await lab.sh('aio-1', `sha256sum ${TOML}`)).toBe(before);
    files = lab.deploy(spec('4.5.0', 'https://portal.i12t.example'));
  }, 180_000);

  it('upgrade, provision and plan 4.5.0 → 4.6.0 are refused before any change: names both versions, points to migrate; the host is as it was', async () => {
    // Everything apim-deploy owns or writes on the host, but the node's own logs (it keeps writing them): every path
    // with its type, size and mtime, and every file's sha256; then the running pid, the audit log and the lock.
    const snapshot = async () => ({
      tree: await lab.sh('aio-1', "find /opt/wso2 /var/lib/apim-deploy /var/log/apim-deploy /etc/systemd/system -path '*/repository/logs' -prune -o -printf '%p %y %s %T@\\n' 2>/dev/null | sort; true"),
      sums: await lab.sh('aio-1', "find /opt/wso2 /var/lib/apim-deploy /var/log/apim-deploy -path '*/repository/logs' -prune -o -type f -print0 2>/dev/null | sort -z | xargs -0 sha256sum; true"),
      pids: await wso2Pids(lab, [NODE]),
    });
    const before = await snapshot();
    expect(before.sums).toContain('deployment.toml');
    const cross = lab.deploy(spec('4.6.0', 'https://portal.i12t.example'));
    for (const args of [['upgrade', '-i', cross.inventory, '--dry-run'], ['upgrade', '-i', cross.inventory, '--health-timeout', '120'],
      ['plan', '-i', cross.inventory], ['provision', '-i', cross.inventory, '--health-timeout', '120']]) {
      const run = await runCli(args, { timeoutMs: 180_000 });
      expect(run.code, run.stdout + run.stderr).toBe(2);
      expect(run.stderr).toContain('aio-1/all-in-one runs 4.5.0 while the inventory names 4.6.0: 4.5.0 → 4.6.0 changes the database schema');
      expect(run.stderr).toContain('Nothing was changed on any host.');
      expect(run.stderr).toContain(`apim-deploy migrate --to 4.6.0 -i ${cross.inventory}`);
    }
    expect(await snapshot()).toEqual(before);
    expect(await currentVersions(lab, [NODE])).toEqual({ [NODE]: '4.5.0' });
    expect((await runCli(['lock', 'status', '-i', cross.inventory])).stdout).toMatch(/not locked/);
    files = lab.deploy(spec('4.5.0', 'https://portal.i12t.example'));
  }, 420_000);

  it('upgrade 4.5.0 → 4.5.0 update level 3: the new release starts with the same overrides and JVM options', async () => {
    const link = async () => (await lab.sh('aio-1', 'readlink /opt/wso2/all-in-one/current')).trim();
    const before = await link();
    files = lab.deploy(spec('4.5.0.3', 'https://portal.i12t.example'));
    const run = await runCli(['upgrade', '-i', files.inventory, '--json', '--health-timeout', '120'], { timeoutMs: 400_000 });
    expect(run.code, run.stderr.slice(-2000)).toBe(0);
    expect(await link()).not.toBe(before);
    expect(await link()).toMatch(/4\.5\.0/);
    expect(await currentVersions(lab, [NODE])).toEqual({ [NODE]: '4.5.0.3' });
    await expectOverridesLanded();
  }, 420_000);
});
