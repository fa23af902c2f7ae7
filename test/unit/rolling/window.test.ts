/** One batch's plans: balancer drain/undrain steps, the switch window, its reverse, and the release facts parser. */
import { describe, expect, it } from 'vitest';
import { validateDependencies } from '../../../src/executor/validate.js';
import { balancerSteps, restorePreviousSteps, reverseSwitch, switchSteps, type NodeSwitch } from '../../../src/planner/rolling-window.js';
import { singleWavePlan } from '../../../src/planner/plan-of.js';
import { parseReleases, releaseVersion, rollbackTarget } from '../../../src/workflows/rollout/releases.js';

const R = '/opt/wso2/gateway/releases';
const sw = (host: string, over: Partial<NodeSwitch> = {}): NodeSwitch => ({
  node: { host, role: 'gateway' }, link: '/opt/wso2/gateway/current', previousLink: '/opt/wso2/gateway/previous',
  from: `${R}/4.5.0-aaaaaaaa`, to: `${R}/4.6.0-bbbbbbbb`, fromVersion: '4.5.0', toVersion: '4.6.0', previousBefore: `${R}/4.4.0-cccccccc`,
  stop: { argv: ['old.sh', 'stop'], env: { JAVA_HOME: '/opt/wso2/jdk/current' }, pidFile: '/opt/wso2/gateway/current/wso2carbon.pid', graceMs: 60_000 },
  setup: [], start: { argv: ['new.sh', 'start'], env: {}, pidFile: '/opt/wso2/gateway/current/wso2carbon.pid' },
  gate: { checks: [{ kind: 'tcp', host: '10.0.0.5', port: 8280 }], policy: { timeoutMs: 15_000, firstIntervalMs: 250, maxIntervalMs: 1000, settleMs: 0 } },
  ...over,
});
const meta = { inventory: '/inv.yaml', apimVersion: '4.6.0', now: '2025-01-01T00:00:00Z' };

describe('switch window', () => {
  it('per node: remember previous, stop the old, link the new, start, gate (nodes in parallel, a chain each)', () => {
    const steps = switchSteps([sw('gw-1'), sw('gw-2')], { rememberPrevious: true });
    const gw1 = steps.filter((s) => s.host === 'gw-1');
    expect(gw1.map((s) => `${s.kind}${s.kind === 'link' ? ` ${s.path} -> ${s.target}` : ''}`)).toEqual([
      `link /opt/wso2/gateway/previous -> ${R}/4.5.0-aaaaaaaa`, 'stop-component', `link /opt/wso2/gateway/current -> ${R}/4.6.0-bbbbbbbb`,
      'start-component', 'wait-healthy',
    ]);
    expect(gw1[0]!.after).toEqual([]);
    expect(gw1[1]!.after).toEqual([gw1[0]!.id]);
    expect(steps.filter((s) => s.host === 'gw-2')[0]!.after).toEqual([]);
    expect(() => validateDependencies(singleWavePlan(meta, 'gateway batch 1/2: switch', steps))).not.toThrow();
  });

  it('a node not running is not stopped; pending setup runs between stop and switch', () => {
    const steps = switchSteps([sw('km-1', { stop: null, setup: [{ name: 'km-profile', argv: ['profile.sh'], marker: '/m' }] })], { rememberPrevious: false });
    expect(steps.map((s) => s.kind)).toEqual(['run-once', 'link', 'start-component', 'wait-healthy']);
  });

  it('reverse: stops what started, links the old release back, gates it; previous gets its old target again', () => {
    const back = reverseSwitch(sw('gw-1'), { argv: ['new.sh', 'stop'], env: {}, graceMs: 60_000 }, { start: { argv: ['old.sh', 'start'], env: {} }, gate: sw('gw-1').gate });
    const steps = [...switchSteps([back], { rememberPrevious: false }), ...restorePreviousSteps([back])];
    expect(steps.map((s) => (s.kind === 'link' ? `link ${s.target}` : s.kind === 'stop-component' || s.kind === 'start-component' ? `${s.kind} ${s.argv[0]}` : s.kind))).toEqual([
      'stop-component new.sh', `link ${R}/4.5.0-aaaaaaaa`, 'start-component old.sh', 'wait-healthy', `link ${R}/4.4.0-cccccccc`,
    ]);
  });
});

describe('balancer steps', () => {
  const gw = { host: 'gw-1', role: 'gateway' as const };
  const servers = [8243, 8280].map((port) => ({ id: `apim_gateway_${port}/10.0.0.5:${port}`, address: '10.0.0.5', port }));
  const nodes = [{ node: gw, address: '10.0.0.5', ports: [8243, 8280, 9443], servers }];
  const change = { host: 'lb-1', nodes, runtime: null,
    config: { path: '/etc/nginx/nginx.conf', mode: '0644', owner: 'root:root', sha256: 'new', expectSha256: 'old', reload: ['nginx', '-s', 'reload'] } };
  const runtime = { host: 'lb-1', nodes, config: null, runtime: { set: ['lb-set'], state: ['lb-state'], sessions: ['lb-sessions'] } };
  it('drain by reload: upload the config with the node down, reload, then wait for its connections to end', () => {
    const steps = balancerSteps([change], false);
    expect(steps.map((s) => s.kind)).toEqual(['upload-file', 'reload-component', 'drain']);
    expect(steps.every((s) => s.host === 'lb-1')).toBe(true);
    expect(steps[2]).toMatchObject({ via: 'lb-1', undrain: false, address: '10.0.0.5', ports: [8243, 8280, 9443] });
  });
  it('undrain by reload: the balancer host connects to the node first; without a config change nothing is reloaded', () => {
    expect(balancerSteps([change], true).map((s) => s.kind)).toEqual(['wait-routable', 'upload-file', 'reload-component', 'drain']);
    expect(balancerSteps([change], true)[0]).toMatchObject({ host: 'lb-1', state: null, servers });
    expect(balancerSteps([{ ...change, config: { ...change.config, sha256: 'old' } }], true).map((s) => s.kind)).toEqual(['wait-routable', 'drain']);
  });
  it('drain by runtime API: maint for every server of the node, no upload and no reload', () => {
    const steps = balancerSteps([runtime], false);
    expect(steps.map((s) => s.kind)).toEqual(['balancer-set', 'drain']);
    expect(steps[0]).toMatchObject({ to: 'maint', argv: ['lb-set'], servers: servers.map((s) => s.id), node: gw });
    expect(steps[1]).toMatchObject({ undrain: false, sessions: { argv: ['lb-sessions'], servers: servers.map((s) => s.id) } });
  });
  it('undrain by runtime API: probe, wait until the balancer\'s own checks see it up, then ready', () => {
    const steps = balancerSteps([runtime], true);
    expect(steps.map((s) => (s.kind === 'balancer-set' ? s.to : s.kind))).toEqual(['probe', 'wait-routable', 'ready', 'drain']);
    expect(steps[1]).toMatchObject({ state: ['lb-state'] });
  });
  it('by runtime API each node is its own chain: a node the balancer cannot reach keeps no other out', () => {
    const two = { ...runtime, nodes: [...nodes, { ...nodes[0]!, node: { host: 'gw-2', role: 'gateway' as const } }] };
    const steps = balancerSteps([two], true);
    const firstOfGw2 = steps.find((s) => s.node?.host === 'gw-2')!;
    expect(firstOfGw2.after).toEqual([]);
  });
});

describe('release facts', () => {
  const out = [
    'role\t/opt/wso2/gateway', `current\t${R}/4.6.0-bbbbbbbb`, `previous\t${R}/4.5.0-aaaaaaaa`,
    `release\t100\t${R}/4.5.0-aaaaaaaa`, `release\t300\t${R}/4.6.0-bbbbbbbb`, `release\t200\t${R}/4.6.0-dddddddd`,
    'role\t/opt/wso2/control-plane', 'current\t', 'previous\t', '',
  ].join('\n');
  it('parses links and releases newest first', () => {
    const r = parseReleases(out);
    expect(r.get('/opt/wso2/gateway')).toEqual({ current: `${R}/4.6.0-bbbbbbbb`, previous: `${R}/4.5.0-aaaaaaaa`,
      releases: [`${R}/4.6.0-bbbbbbbb`, `${R}/4.6.0-dddddddd`, `${R}/4.5.0-aaaaaaaa`] });
    expect(r.get('/opt/wso2/control-plane')).toEqual({ current: null, previous: null, releases: [] });
  });
  it('rollback target: previous when it is another existing release, else the newest other', () => {
    const gw = parseReleases(out).get('/opt/wso2/gateway')!;
    expect(rollbackTarget(gw)).toBe(`${R}/4.5.0-aaaaaaaa`);
    expect(rollbackTarget({ ...gw, previous: gw.current })).toBe(`${R}/4.6.0-dddddddd`);
    expect(rollbackTarget({ current: 'x', previous: null, releases: ['x'] })).toBeNull();
  });
  it('reads the version from a release dir name', () => {
    expect(releaseVersion(`${R}/4.5.0-aaaaaaaa`)).toBe('4.5.0');
    expect(releaseVersion('/opt/other/wso2am-4.5.0')).toBeNull();
    expect(releaseVersion(null)).toBeNull();
  });
});
