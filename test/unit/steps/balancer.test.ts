/** The balancer's runtime-API steps and the routable wait, against scripted balancer answers (captured formats). */
import { describe, expect, it } from 'vitest';
import { HealthTimeoutError } from '../../../src/errors.js';
import { parseBalancerState } from '../../../src/model/balancer-state.js';
import { previewStep } from '../../../src/steps/index.js';
import { balancerSet } from '../../../src/steps/balancer-set.js';
import { balancerWindow } from '../../../src/steps/balancer-window.js';
import { routedTo, waitRoutable } from '../../../src/steps/wait-routable.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { RecordingTransport } from '../../fakes/recording-transport.js';
import { steps } from './fixtures.js';

const ctxOn = (lb: RecordingTransport, clock = new FakeClock({ autoAdvance: true })) =>
  ({ transport: lb, transportFor: () => lb, contents: new Map(), clock, waitHealthy: async () => [] });

const state = (http: string, https: string) => [
  `apim_gateway_http/10.0.0.5:8280 ${http}`, `apim_gateway_https/10.0.0.5:8243 ${https}`, 'apim_gateway_http/10.0.0.6:8280 ready up', '',
].join('\n');

describe('balancer state', () => {
  it('reads `<upstream>/<address>:<port> <admin> <health>` lines and skips anything else', () => {
    const s = parseBalancerState(`1\n${state('maint down', 'drain up')}\napim_portals/10.0.0.9:9443 ready -\nnot a line\n`);
    expect(s.get('apim_gateway_http/10.0.0.5:8280')).toEqual({ admin: 'maint', health: 'down' });
    expect(s.get('apim_gateway_https/10.0.0.5:8243')).toEqual({ admin: 'drain', health: 'up' });
    expect(s.get('apim_portals/10.0.0.9:9443')).toEqual({ admin: 'ready', health: 'unchecked' });
    expect(s.size).toBe(4);
  });
});

describe('balancer-set', () => {
  it('runs the role\'s set command with the state, then every server of the node', async () => {
    expect(previewStep(steps.balancerSet).lines).toEqual([
      `sh -c 'lb-set "$@"' balancer-set maint apim_gateway_http/10.0.0.5:8280 apim_gateway_https/10.0.0.5:8243`,
    ]);
    const lb = new RecordingTransport('lb-1', { strict: true }).on('balancer-set maint', {});
    expect(await balancerSet.apply(steps.balancerSet, ctxOn(lb))).toMatchObject({ status: 'changed' });
  });
  it('fails with the balancer\'s answer when it refuses', async () => {
    const lb = new RecordingTransport('lb-1').on('balancer-set', { exitCode: 1, stderr: 'apim_gateway_http/10.0.0.5:8280: No such server.\n' });
    await expect(balancerSet.apply(steps.balancerSet, ctxOn(lb))).rejects.toThrow(/failed \(exit 1/);
  });
});

describe('balancer-window', () => {
  it('runs the role\'s window command with the side appended; the balancer\'s refusal fails the step', async () => {
    expect(previewStep(steps.balancerWindow)).toEqual({
      description: 'refuse design-time writes on lb-1 (read-only window set, runtime API, no reload)',
      lines: [`sh -c 'lb-window "$@"' balancer-window /etc/haproxy/apim-deploy-window.map read-only`],
    });
    const lb = new RecordingTransport('lb-1', { strict: true }).on('apim-deploy-window.map read-only', {});
    expect(await balancerWindow.apply(steps.balancerWindow, ctxOn(lb))).toMatchObject({ status: 'changed' });
    const lift = { ...steps.balancerWindow, to: 'writable' as const };
    expect(previewStep(lift).description).toBe('take design-time writes on lb-1 (read-only window lifted, runtime API, no reload)');
    const refusing = new RecordingTransport('lb-1').on('balancer-window', { exitCode: 1, stderr: 'Unknown map identifier.\n' });
    await expect(balancerWindow.apply(lift, ctxOn(refusing))).rejects.toThrow(/failed \(exit 1/);
  });
});

describe('wait-routable', () => {
  it('waits until the balancer\'s own checks see every server of the node up', async () => {
    let round = 0;
    const lb = new RecordingTransport('lb-1', { strict: true }).on('lb-state', () => ({ stdout: state(round++ < 3 ? 'drain down' : 'drain up', 'drain up') }));
    const clock = new FakeClock({ autoAdvance: true });
    expect(await waitRoutable.apply(steps.waitRoutable, ctxOn(lb, clock))).toMatchObject({ status: 'ok', reason: 'lb-1 routes to all 2 server(s)' });
    expect(clock.now()).toBe(1500);
  });
  it('a balancer that does not check (nginx) routes once its host connects to the node\'s ports, all in one command a poll', async () => {
    let refused = 2;
    const lb = new RecordingTransport('lb-1', { strict: true })
      .on('lb-state', { stdout: state('ready -', 'ready -') })
      .on('/dev/tcp', () => ({ stdout: refused-- > 0 ? '10.0.0.5 8280\n' : '10.0.0.5 8243\n10.0.0.5 8280\n' }));
    expect(await waitRoutable.apply(steps.waitRoutable, ctxOn(lb))).toMatchObject({ status: 'ok' });
    const connects = lb.lines.filter((l) => l.includes('/dev/tcp'));
    expect(connects).toHaveLength(3);
    expect(connects[0]).toMatch(/connect-all 10\.0\.0\.5 8280 10\.0\.0\.5 8243$/);
  });
  it('names each server the balancer host did not reach, and only those', async () => {
    const lb = new RecordingTransport('lb-1').on('lb-state', { stdout: state('ready -', 'ready -') }).on('/dev/tcp', { stdout: '10.0.0.5 8280\n' });
    const err = await waitRoutable.apply(steps.waitRoutable, ctxOn(lb)).catch((e: unknown) => e);
    expect((err as HealthTimeoutError).detail).toBe('apim_gateway_https/10.0.0.5:8243: lb-1 cannot connect to 10.0.0.5:8243');
  });
  it('the end-of-plan gate (skipHeldOut) waits for servers in service, not for those the balancer holds out', async () => {
    let round = 0;
    // https is in maintenance (a drained node) and down: never waited for. http is in service: waited for until up.
    const lb = new RecordingTransport('lb-1', { strict: true }).on('lb-state', () => ({ stdout: state(round++ < 2 ? 'ready down' : 'ready up', 'maint down') }));
    const clock = new FakeClock({ autoAdvance: true });
    expect(await waitRoutable.apply({ ...steps.waitRoutable, skipHeldOut: true }, ctxOn(lb, clock))).toMatchObject({ status: 'ok' });
    expect(clock.now()).toBe(1000);
    // A rollout's own gate waits for a server it is putting back, whatever its admin state.
    const held = new RecordingTransport('lb-1').on('lb-state', { stdout: state('ready up', 'drain down') });
    await expect(waitRoutable.apply(steps.waitRoutable, ctxOn(held))).rejects.toThrow(HealthTimeoutError);
  });
  it('times out naming each server the balancer does not route to', async () => {
    const lb = new RecordingTransport('lb-1').on('lb-state', { stdout: state('drain down', 'drain up').replace(/^apim_gateway_https.*$/m, '') });
    const err = await waitRoutable.apply(steps.waitRoutable, ctxOn(lb)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HealthTimeoutError);
    expect((err as HealthTimeoutError).message).toBe('lb-1: the balancer does not route to gw-1/gateway after 10 s');
    expect((err as HealthTimeoutError).detail).toBe('apim_gateway_http/10.0.0.5:8280: its health check fails on the balancer\napim_gateway_https/10.0.0.5:8243: not in the balancer');
  });
});

describe('routedTo', () => {
  const server = (host: string) => ({ id: `gw/${host}:8243`, address: host, port: 8243, node: { host, role: 'gateway' as const } });
  it("names a rollout gate's node, else its servers' nodes: three, then how many more", () => {
    expect(routedTo({ node: { host: 'gw-2', role: 'gateway' }, servers: [server('gw-2')] })).toBe('gw-2/gateway');
    expect(routedTo({ servers: [server('gw-1'), server('gw-1'), server('gw-2')] })).toBe('gw-1/gateway, gw-2/gateway');
    expect(routedTo({ servers: ['gw-1', 'gw-2', 'gw-3', 'gw-4', 'gw-5'].map(server) })).toBe('gw-1/gateway, gw-2/gateway, gw-3/gateway and 2 more');
    expect(routedTo({ servers: [{ id: 'x/10.0.0.5:80', address: '10.0.0.5', port: 80 }] })).toBe('the servers');
  });
});
