import { describe, expect, it } from 'vitest';
import { HealthTimeoutError } from '../../../src/errors.js';
import { waitUntilHealthy, type HealthProber } from '../../../src/health/index.js';
import type { HealthCheck, HealthPolicy } from '../../../src/model/health.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { RecordingTransport } from '../../fakes/recording-transport.js';

const version: HealthCheck = { kind: 'http', url: 'http://gw-1:9763/services/Version', expectStatus: [200], from: 'controller', insecureTls: false };
const port: HealthCheck = { kind: 'tcp', host: 'gw-1', port: 8243 };
const policy: HealthPolicy = { timeoutMs: 30_000, firstIntervalMs: 1000, maxIntervalMs: 4000, settleMs: 2000 };

/** Answers from a script of verdicts per round (true = every check healthy), then stays on the last one. */
function scripted(rounds: boolean[], clock: FakeClock): HealthProber & { times: number[] } {
  const times: number[] = [];
  let call = 0;
  return {
    times,
    async probe(check) {
      const round = Math.floor(call++ / 2);
      if (call % 2 === 1) times.push(clock.now());
      const healthy = rounds[Math.min(round, rounds.length - 1)]!;
      return { check, healthy, detail: healthy ? 'HTTP 200' : check.kind === 'tcp' ? 'port gw-1:8243 closed' : 'HTTP 503' };
    },
  };
}

describe('waitUntilHealthy', () => {
  it('grows the interval x1.5 up to the maximum, then settles before trusting green', async () => {
    const clock = new FakeClock({ autoAdvance: true });
    const prober = scripted([false, false, false, false, false, true, true], clock);
    const results = await waitUntilHealthy([version, port], policy, { prober, clock });
    expect(results.every((r) => r.healthy)).toBe(true);
    expect(clock.sleeps).toEqual([1000, 1500, 2250, 3375, 4000, 2000]);
    expect(prober.times).toEqual([0, 1000, 2500, 4750, 8125, 12125, 14125]);
  });

  it('starts over when the settle re-check fails', async () => {
    const clock = new FakeClock({ autoAdvance: true });
    const prober = scripted([true, false, true, true], clock);
    await waitUntilHealthy([version, port], policy, { prober, clock });
    expect(clock.sleeps).toEqual([2000, 1000, 2000]);
  });

  it('returns after one green round when settleMs is 0', async () => {
    const clock = new FakeClock({ autoAdvance: true });
    await waitUntilHealthy([version], { ...policy, settleMs: 0 }, { prober: scripted([true], clock), clock });
    expect(clock.sleeps).toEqual([]);
  });

  it('gives every probe at least a second, the last round at the deadline itself included, and 10 s at most', async () => {
    const clock = new FakeClock({ autoAdvance: true });
    const limits: number[] = [];
    const prober: HealthProber = { async probe(check, ctx) { limits.push(ctx.timeoutMs); return { check, healthy: false, detail: 'HTTP 503' }; } };
    await waitUntilHealthy([version], { ...policy, timeoutMs: 12_000 }, { prober, clock }).catch(() => undefined);
    expect(limits[0]).toBe(10_000);
    expect(limits.at(-1)).toBe(1_000);
    expect(Math.min(...limits)).toBe(1_000);
  });

  it('gives up at the deadline (with a last round at the deadline) naming every check and the log tail', async () => {
    const clock = new FakeClock({ autoAdvance: true });
    const prober = scripted([false], clock);
    const log = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`).join('\n');
    const transport = new RecordingTransport('gw-1').on('tail -n 30 -- /logs/wso2carbon.log', (cmd) => ({
      stdout: `${log.split('\n').slice(-Number(cmd.argv[2])).join('\n')}\n`,
    }));
    const error = await waitUntilHealthy([version, port], policy, { prober, clock, transport, logFile: '/logs/wso2carbon.log', label: 'gw-1 gateway' })
      .then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(HealthTimeoutError);
    const e = error as HealthTimeoutError;
    expect(prober.times.at(-1)).toBe(30_000);
    expect(e.message).toBe('gw-1: gw-1 gateway not healthy after 30.0s: 2 of 2 checks failing');
    const detail = e.detail.split('\n');
    expect(detail.slice(0, 4)).toEqual([
      'FAIL GET http://gw-1:9763/services/Version from controller, expect 200: HTTP 503',
      'FAIL TCP gw-1:8243 from controller: port gw-1:8243 closed',
      '',
      'last lines of /logs/wso2carbon.log:',
    ]);
    expect(detail.slice(4)).toHaveLength(30);
    expect(detail[4]).toBe('  line 11');
    expect(detail.at(-1)).toBe('  line 40');
  });

  it('says so when the log cannot be read', async () => {
    const clock = new FakeClock({ autoAdvance: true });
    const transport = new RecordingTransport('gw-1').on('tail', { exitCode: 1, stderr: "tail: cannot open '/x.log' for reading: No such file or directory\n" });
    const e = (await waitUntilHealthy([port], { ...policy, timeoutMs: 3000 }, { prober: scripted([false], clock), clock, transport, logFile: '/x.log' })
      .catch((err: unknown) => err)) as HealthTimeoutError;
    expect(e.detail).toContain("  (cannot read it: tail: cannot open '/x.log' for reading: No such file or directory)");
  });

  it('stops polling when aborted', async () => {
    const clock = new FakeClock();
    const controller = new AbortController();
    const waiting = waitUntilHealthy([port], policy, { prober: scripted([false], clock), clock, signal: controller.signal });
    await new Promise((r) => setImmediate(r));
    controller.abort(new Error('SIGINT'));
    await expect(waiting).rejects.toThrow('SIGINT');
  });
});
