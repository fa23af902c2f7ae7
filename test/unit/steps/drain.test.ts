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
});
