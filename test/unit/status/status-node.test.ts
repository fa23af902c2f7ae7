import { describe, expect, it } from 'vitest';
import type { HostFacts, PidState } from '../../../src/facts/index.js';
import type { ProbeResult } from '../../../src/model/health.js';
import type { RenderedNode } from '../../../src/render/render-inventory.js';
import { nodeStatus, releaseVersion, statusProbePaths, unreachableNode } from '../../../src/workflows/status/node-status.js';
import { formatStatus } from '../../../src/ui/status-table.js';
import { renderExample } from '../render/examples.js';
import type { HealthProber } from '../../../src/health/index.js';
import { LocalTransport } from '../../../src/transport/local.js';
import type { RemoteCommand, Transport } from '../../../src/transport/transport.js';
import { hostStatus, statusReadsAhead } from '../../../src/workflows/status/host-status.js';
import { hostProbeArgv } from '../../../src/facts/index.js';
import { EarlyReads } from '../../../src/workflows/run/early-reads.js';
import { RecordingTransport } from '../../fakes/recording-transport.js';

const nodes = await renderExample('lab');
const node = (host: string): RenderedNode => nodes.find((n) => n.host === host)!;
const gw = node('gw-1');
const lb = node('lb-1');
const RELEASE = '/opt/wso2/gateway/releases/4.6.0-0123abcd';

/** Facts of a host where `n` runs exactly what the inventory renders now. */
function syncedFacts(n: RenderedNode, over: Partial<HostFacts> = {}): HostFacts {
  const pids: Record<string, PidState> = {};
  if (n.runtime.pidFile) pids[n.runtime.pidFile] = { state: 'alive', pid: 4242, cmdline: 'java' };
  return {
    files: Object.fromEntries(n.files.map((f) => [f.path, f.sha256])),
    unreadable: [],
    links: n.runtime.kind === 'wso2' ? { [n.context.paths.home]: RELEASE } : {},
    pids, markers: {}, os: null, arch: 'x86_64', disk: null, listening: [],
    ...over,
  };
}
const green = (n: RenderedNode): ProbeResult[] => n.runtime.checks.map((check) => ({ check, healthy: true, detail: 'HTTP 200' }));

describe('statusProbePaths', () => {
  it('reads each rendered file through current, the current link and the PID file, nothing that changes', () => {
    const paths = statusProbePaths([gw]);
    expect(paths.files).toEqual(gw.files.map((f) => f.path));
    expect(paths.files!.some((p) => p.startsWith('/opt/wso2/gateway/current/'))).toBe(true);
    expect(paths.links).toEqual(['/opt/wso2/gateway/current']);
    expect(paths.pidFiles).toEqual([gw.runtime.pidFile]);
  });
});

describe('nodeStatus', () => {
  it('is ok when healthy, running, in sync and on the inventory version', () => {
    const s = nodeStatus(gw, '4.6.0', { facts: syncedFacts(gw), checks: green(gw) });
    expect(s).toMatchObject({ host: 'gw-1', role: 'gateway', kind: 'wso2', release: '4.6.0-0123abcd', version: '4.6.0', versionDiffers: false,
      process: { state: 'running', pid: 4242 }, drift: [], ok: true });
    expect(s.health.healthy).toBe(true);
  });

  it('names each drifted file: another sha256, missing, unreadable', () => {
    const db = node('db-1');
    const [a, b, c] = db.files.map((f) => f.path);
    const facts = syncedFacts(db);
    const s = nodeStatus(db, '4.6.0', {
      facts: { ...facts, files: { ...facts.files, [a!]: 'f'.repeat(64), [b!]: null, [c!]: null }, unreadable: [c!] },
      checks: green(db), serviceRunning: true,
    });
    expect(s.drift).toEqual([{ path: a, problem: 'differs' }, { path: b, problem: 'missing' }, { path: c, problem: 'unreadable' }]);
    expect(s.ok).toBe(false);
  });

  it('is not ok when one check fails, and keeps the check detail', () => {
    const checks = green(gw);
    checks[1] = { check: checks[1]!.check, healthy: false, detail: 'HTTP 503 from https://10.213.7.15:9443/... (from host)' };
    const s = nodeStatus(gw, '4.6.0', { facts: syncedFacts(gw), checks });
    expect(s.health.healthy).toBe(false);
    expect(s.health.checks[1]!.detail).toContain('HTTP 503');
    expect(s.ok).toBe(false);
  });

  it('tells a dead PID from a stopped node', () => {
    const pidFile = gw.runtime.pidFile!;
    expect(nodeStatus(gw, '4.6.0', { facts: syncedFacts(gw, { pids: { [pidFile]: { state: 'dead', pid: 77 } } }), checks: green(gw) }).process)
      .toEqual({ state: 'dead', pid: 77 });
    expect(nodeStatus(gw, '4.6.0', { facts: syncedFacts(gw, { pids: { [pidFile]: { state: 'absent' } } }), checks: green(gw) }).process)
      .toEqual({ state: 'stopped', pid: null });
  });

  it('flags another version, and a node never provisioned', () => {
    const other = nodeStatus(gw, '4.6.1', { facts: syncedFacts(gw), checks: green(gw) });
    expect(other).toMatchObject({ version: '4.6.0', versionDiffers: true, ok: false });
    const never = nodeStatus(gw, '4.6.0', { facts: syncedFacts(gw, { links: {} }), checks: green(gw) });
    expect(never).toMatchObject({ release: null, versionDiffers: true, ok: false });
  });

  it('takes a service role\'s process state from its isRunning answer and has no release', () => {
    const s = nodeStatus(lb, '4.6.0', { facts: syncedFacts(lb), checks: green(lb), serviceRunning: false });
    expect(s).toMatchObject({ kind: 'service', release: null, versionDiffers: false, process: { state: 'stopped', pid: null } });
  });
});

it('an unreachable node is never ok and claims nothing', () => {
  expect(unreachableNode(gw, 'gw-1: connection refused')).toMatchObject({ unreachable: 'gw-1: connection refused', ok: false, drift: [],
    process: { state: 'unknown' } });
});

it('releaseVersion cuts the sha8 off a release id', () => {
  expect(releaseVersion('4.6.0-a85b5ced')).toBe('4.6.0');
  expect(releaseVersion('4.5.0-rc1-0123abcd')).toBe('4.5.0-rc1');
  expect(releaseVersion('custom')).toBe('custom');
});

describe('a secure vault node that waits for its keystore password', () => {
  const vault: RenderedNode = { ...gw, context: { ...gw.context, vars: { ...gw.context.vars, secure_vault: true } } };
  const home = vault.runtime.home!;
  const down = (markers: Record<string, boolean>) => syncedFacts(vault, { pids: { [vault.runtime.pidFile!]: { state: 'absent' } }, markers });
  const red = vault.runtime.checks.map((check) => ({ check, healthy: false, detail: 'connection refused' }));

  it('asks only whether password-tmp and password-persist exist in its home (their hash would be guessable)', () => {
    const paths = statusProbePaths([vault]);
    expect(paths.markers).toEqual([`${home}/password-tmp`, `${home}/password-persist`]);
    expect(paths.files).not.toContain(`${home}/password-persist`);
    expect(statusProbePaths([gw]).markers).toBeUndefined();
  });

  it('is flagged when down with neither file, not when a password file is there or the node is healthy', () => {
    expect(nodeStatus(vault, '4.6.0', { facts: down({}), checks: red })).toMatchObject({ awaitsVaultPassword: true, ok: false });
    expect(nodeStatus(vault, '4.6.0', { facts: down({ [`${home}/password-persist`]: true }), checks: red }).awaitsVaultPassword).toBe(false);
    expect(nodeStatus(vault, '4.6.0', { facts: syncedFacts(vault), checks: green(vault) }).awaitsVaultPassword).toBe(false);
    expect(nodeStatus(gw, '4.6.0', { facts: down({}), checks: red }).awaitsVaultPassword).toBe(false); // no vault: just down
  });

  it('status names the cause and the two ways out', () => {
    const s = nodeStatus(vault, '4.6.0', { facts: down({}), checks: red });
    const out = formatStatus({ name: 'lab', pattern: '3', apimVersion: '4.6.0', nodes: [s], urls: [], ok: false });
    expect(out).toContain('VAULT PASSWORD: secure vault is on and its home holds neither password-tmp nor password-persist');
    expect(out).toContain('`apim-deploy provision` starts it with password-tmp, or set secure_vault_persist_password: true');
  });
});

describe('hostStatus on a host too busy to answer a state command in time', () => {
  it('leaves the process state unknown and judges the node by its checks; the host is not called unreachable', async () => {
    const db = node('db-1');
    expect(db.runtime.isRunning).toBeDefined();
    const local = new LocalTransport('db-1');
    // pg_ctlcluster (a Perl script) taking longer than the probe timeout, as it did under sudo at load 65.
    const busy = { host: 'db-1', exec: (cmd: RemoteCommand) => local.exec(cmd.argv[0] === db.runtime.isRunning![0] ? { ...cmd, argv: ['sleep', '30'] } : cmd) } as unknown as Transport;
    const prober: HealthProber = { probe: async (check) => ({ check, healthy: true, detail: 'port 5432 open' }) };
    const [status] = await hostStatus('4.6.0', [db], busy, { prober, timeoutMs: 300 });
    expect(status).toMatchObject({ unreachable: null, process: { state: 'unknown', pid: null }, health: { healthy: true } });
  });
});

describe('status reads ahead', () => {
  it('asks each host for its probe in the first command, and for nothing else', () => {
    const ahead = statusReadsAhead({ rendered: [gw, lb, node('db-1')] });
    expect([...ahead.keys()]).toEqual(['gw-1', 'lb-1', 'db-1']);
    expect(ahead.get('gw-1')).toEqual([hostProbeArgv(statusProbePaths([gw]))]);
    expect(ahead.get('db-1')).toEqual([hostProbeArgv(statusProbePaths([node('db-1')]))]);
  });

  it('hostStatus takes the probe\'s early answer instead of running it again; the checks still run live', async () => {
    const paths = statusProbePaths([gw]);
    const host = new RecordingTransport('gw-1');
    const early = new EarlyReads();
    // A real probe's answer (run here, on this machine's files): its content does not matter, only that it is used.
    early.add('gw-1', hostProbeArgv(paths), await new LocalTransport('gw-1').exec({ argv: hostProbeArgv(paths) }));
    let probed = 0;
    const prober: HealthProber = { probe: async (check) => { probed++; return { check, healthy: true, detail: 'live' }; } };
    const [status] = await hostStatus('4.6.0', [gw], host, { prober, timeoutMs: 5000, early });
    expect(host.calls).toEqual([]);
    expect(probed).toBe(gw.runtime.checks.length);
    expect(status!.unreachable).toBeNull();
    // Taken once: a second status of the same host asks it.
    await expect(hostStatus('4.6.0', [gw], host, { prober, timeoutMs: 5000, early })).rejects.toThrow();
    expect(host.calls.map((c) => c.op)).toEqual(['exec']);
  });
});
