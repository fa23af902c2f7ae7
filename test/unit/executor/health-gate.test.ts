import { describe, expect, it } from 'vitest';
import { executePlan } from '../../../src/executor/index.js';
import type { HealthProber } from '../../../src/health/index.js';
import type { RunEvent, StepEndEvent } from '../../../src/model/events.js';
import type { Step } from '../../../src/model/plan.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { InFlight, RecordingTransport } from '../../fakes/recording-transport.js';
import { plan, work } from './plan-builder.js';

const gate: Step = {
  id: 'cp-1/wait-healthy/control-plane', host: 'cp-1', kind: 'wait-healthy', component: 'control-plane',
  checks: [{ kind: 'http', url: 'https://cp-1:9443/services/Version', expectStatus: [200], from: 'controller', insecureTls: true }],
  policy: { timeoutMs: 60_000, firstIntervalMs: 1000, maxIntervalMs: 8000, settleMs: 2000 },
  logFile: '/opt/wso2/control-plane/current/repository/logs/wso2carbon.log',
  reason: 'started', certainty: 'certain', after: ['cp-1/start'],
};

describe('executePlan with a health gate', () => {
  it('a node that never turns healthy fails with the last answer and the log tail; its dependants never start', async () => {
    const down: HealthProber = { probe: async (check) => ({ check, healthy: false, detail: 'HTTP 503 from https://cp-1:9443/services/Version' }) };
    const cp = new RecordingTransport('cp-1').on('tail -n 30', { stdout: 'ERROR {JDBC} Cannot create PoolableConnectionFactory\n' });
    const gw = new RecordingTransport('gw-1');
    const events: RunEvent[] = [];
    const clock = new FakeClock({ autoAdvance: true });
    const result = await executePlan(plan(['control-plane', [work('cp-1', 'start'), gate]], ['gateway', [work('gw-1', 'start', [gate.id])]]), {
      transports: new Map([['cp-1', cp], ['gw-1', gw]]), contents: new Map(), clock, prober: down, onEvent: (e) => events.push(e),
    });
    expect(result.ok).toBe(false);
    const ends = events.filter((e): e is StepEndEvent => e.type === 'step-end');
    const failed = ends.find((e) => e.stepId === gate.id)!;
    expect(failed.error?.name).toBe('HealthTimeoutError');
    expect(failed.reason).toBe('cp-1: cp-1 control-plane not healthy after 60.0s: 1 of 1 checks failing');
    expect(failed.error?.detail).toBe(
      [
        'FAIL GET https://cp-1:9443/services/Version from controller, expect 200, self-signed TLS accepted: HTTP 503 from https://cp-1:9443/services/Version',
        '',
        'last lines of /opt/wso2/control-plane/current/repository/logs/wso2carbon.log:',
        '  ERROR {JDBC} Cannot create PoolableConnectionFactory',
      ].join('\n'),
    );
    expect(ends.find((e) => e.stepId === 'gw-1/start')).toMatchObject({
      status: 'blocked',
      reason: `blocked by ${gate.id}: ${failed.reason}`,
    });
    expect(gw.calls).toEqual([]);
    expect(result.steps.find((s) => s.stepId === gate.id)!.thrown).toMatchObject({ exitCode: 5 });
  });

  it('health gates wait outside the concurrency bound: 20 gateways boot at once under --concurrency 2, their other steps 2 at a time', async () => {
    const hosts = Array.from({ length: 20 }, (_, i) => `gw-${i + 1}`);
    const gateOf = (h: string): Step => ({ ...gate, id: `${h}/wait-healthy/gateway`, host: h, component: 'gateway', after: [`${h}/start`] });
    let probing = 0;
    let most = 0;
    let allIn!: () => void;
    const everyone = new Promise<void>((r) => { allIn = r; });
    // Each probe stays in flight until all 20 are (or 2 s pass, so a bounded executor fails the count, not by hanging).
    const prober: HealthProber = {
      probe: async (check) => {
        most = Math.max(most, ++probing);
        if (probing === hosts.length) allIn();
        await Promise.race([everyone, new Promise((r) => setTimeout(r, 2000))]);
        probing--;
        return { check, healthy: true, detail: 'HTTP 200' };
      },
    };
    const inFlight = new InFlight();
    const transports = new Map(hosts.map((h) => [h, new RecordingTransport(h, { inFlight, delay: () => new Promise((r) => setTimeout(r, 5)) })]));
    const result = await executePlan(plan(['gateway', hosts.flatMap((h) => [work(h, 'start'), gateOf(h)])]), {
      transports, contents: new Map(), clock: new FakeClock({ autoAdvance: true }), prober, concurrency: 2,
    });
    expect(result.ok).toBe(true);
    expect(most).toBe(20);
    expect(inFlight.max).toBe(2);
  });
});
