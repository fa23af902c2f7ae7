import { describe, expect, it } from 'vitest';
import { countConnections, drain } from '../../../src/steps/drain.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { RecordingTransport } from '../../fakes/recording-transport.js';
import { steps } from './fixtures.js';

// Captured from `ss -Htn state established dst 10.0.0.5` on a lab nginx host.
const SS = `0      0      10.0.0.2:41822   10.0.0.5:8243
0      0      10.0.0.2:41830   10.0.0.5:8243
0      0      10.0.0.2:52000   10.0.0.5:9443
`;

describe('drain', () => {
  it('counts only connections to the node ports', () => {
    expect(countConnections(SS, [8243, 8280])).toBe(2);
    expect(countConnections(SS, [])).toBe(3);
    expect(countConnections('', [8243])).toBe(0);
  });

  it('waits on the load balancer until the connections end', async () => {
    let round = 0;
    const lb = new RecordingTransport('lb-1').on('ss -Htn', () => ({ stdout: round++ < 2 ? SS : '' }));
    const clock = new FakeClock({ autoAdvance: true });
    const ctx = { transport: new RecordingTransport('gw-1'), transportFor: () => lb, contents: new Map(), clock, waitHealthy: async () => [] };
    expect(await drain.apply(steps.drain, ctx)).toEqual({ status: 'ok', reason: 'no connections from lb-1 to 10.0.0.5 left' });
    expect(clock.now()).toBe(1000);
  });

  it('goes on with a warning when connections outlive the grace period', async () => {
    const lb = new RecordingTransport('lb-1').on('ss -Htn', { stdout: SS });
    const clock = new FakeClock({ autoAdvance: true });
    const ctx = { transport: new RecordingTransport('gw-1'), transportFor: () => lb, contents: new Map(), clock, waitHealthy: async () => [] };
    const outcome = await drain.apply(steps.drain, ctx);
    expect(outcome.warnings).toEqual(['2 connections from lb-1 to 10.0.0.5 still open after 10000 ms; going on']);
    expect(clock.now()).toBe(10_000);
  });

  it('with the balancer\'s own count (HAProxy), waits for the node\'s requests in flight, not for its idle connections', async () => {
    let round = 0;
    const counts = () => `apim_gateway_http/10.0.0.5:8280 ${round < 2 ? 1 : 0}\napim_gateway_https/10.0.0.5:8243 0\napim_gateway_http/10.0.0.6:8280 7\n`;
    const lb = new RecordingTransport('lb-1', { strict: true }).on('lb-sessions', () => ({ stdout: counts(), ...(round++, {}) }));
    const clock = new FakeClock({ autoAdvance: true });
    const ctx = { transport: new RecordingTransport('gw-1'), transportFor: () => lb, contents: new Map(), clock, waitHealthy: async () => [] };
    const step = { ...steps.drain, sessions: { argv: ['lb-sessions'], servers: ['apim_gateway_http/10.0.0.5:8280', 'apim_gateway_https/10.0.0.5:8243'] } };
    expect(drain.commands(step)).toEqual([{ argv: ['lb-sessions'] }]);
    expect(await drain.apply(step, ctx)).toEqual({ status: 'ok', reason: 'no requests in flight from lb-1 to 10.0.0.5 left' });
    expect(clock.now()).toBe(1000);
    expect(lb.lines.some((l) => l.startsWith('ss '))).toBe(false);
  });
});
