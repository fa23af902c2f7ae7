import { describe, expect, it } from 'vitest';
import { executePlan } from '../../../src/executor/index.js';
import type { RunEvent } from '../../../src/model/events.js';
import type { Step } from '../../../src/model/plan.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { RecordingTransport } from '../../fakes/recording-transport.js';
import { plan, work } from './plan-builder.js';

const transfer = (step: Step): Step => ({ ...step, lane: 'transfer' });

/** A host's staging as the planner lays it out: two copies in the transfer lane, each unpack naming its own copy. */
const staging = (): Step[] => [
  work('cp-1', 'prepare'),
  transfer(work('cp-1', 'copy-jdk', ['cp-1/prepare'])),
  transfer(work('cp-1', 'copy-product', ['cp-1/prepare'])),
  work('cp-1', 'unpack-jdk', ['cp-1/prepare', 'cp-1/copy-jdk']),
  work('cp-1', 'unpack-product', ['cp-1/unpack-jdk', 'cp-1/copy-jdk', 'cp-1/copy-product']),
];

function starts(events: RunEvent[]): { started: (id: string) => number; ended: (id: string) => number } {
  const at = (type: string, id: string): number => events.findIndex((e) => e.type === type && 'stepId' in e && e.stepId === id);
  return { started: (id) => at('step-start', id), ended: (id) => at('step-end', id) };
}

describe('executePlan: lanes (artifact copies beside the host\'s other steps)', () => {
  it('unpacks the JDK while the product is still being copied, and unpacks the product only after its copy', async () => {
    const transport = new RecordingTransport('cp-1');
    let jdkUnpacking: () => void = () => undefined;
    const unpackStarted = new Promise<void>((resolve) => { jdkUnpacking = resolve; });
    // The product's copy ends only once the JDK's unpack has begun; were the lanes one chain, it would wait 5 s, then end.
    let copyWaitedFor = 'nothing';
    transport.on('work cp-1/copy-product', async () => {
      copyWaitedFor = await Promise.race([unpackStarted.then(() => 'the unpack'), new Promise<string>((r) => setTimeout(() => r('5 s'), 5000))]);
      return {};
    });
    transport.on('work cp-1/unpack-jdk', () => { jdkUnpacking(); return {}; });
    const events: RunEvent[] = [];
    const result = await executePlan(plan(['stage', staging()]), {
      transports: new Map([['cp-1', transport]]), contents: new Map(), clock: new FakeClock({ autoAdvance: true }), onEvent: (e) => events.push(e),
    });
    expect(result.ok).toBe(true);
    expect(copyWaitedFor).toBe('the unpack');
    const { started, ended } = starts(events);
    expect(started('cp-1/copy-jdk')).toBeGreaterThan(ended('cp-1/prepare'));
    // Copies stay one after another (the seed's bandwidth goes to one artifact at a time).
    expect(started('cp-1/copy-product')).toBeGreaterThan(ended('cp-1/copy-jdk'));
    expect(started('cp-1/unpack-jdk')).toBeLessThan(ended('cp-1/copy-product'));
    expect(started('cp-1/unpack-product')).toBeGreaterThan(ended('cp-1/copy-product'));
  });

  it('a failed copy blocks the steps that name it, and the rest of the host\'s staging still runs', async () => {
    const transport = new RecordingTransport('cp-1').on('work cp-1/copy-product', { exitCode: 1, stderr: 'No space left on device' });
    const result = await executePlan(plan(['stage', staging()]), {
      transports: new Map([['cp-1', transport]]), contents: new Map(), clock: new FakeClock({ autoAdvance: true }),
    });
    const status = Object.fromEntries(result.steps.map((s) => [s.stepId, s.status]));
    expect(status).toEqual({
      'cp-1/prepare': 'changed', 'cp-1/copy-jdk': 'changed', 'cp-1/copy-product': 'failed', 'cp-1/unpack-jdk': 'changed', 'cp-1/unpack-product': 'blocked',
    });
    expect(result.ok).toBe(false);
  });

  it('without lanes a host\'s steps still run strictly one after another, in plan order', async () => {
    const transport = new RecordingTransport('cp-1');
    const events: RunEvent[] = [];
    const steps = [work('cp-1', 'a'), work('cp-1', 'b'), work('cp-1', 'c')];
    await executePlan(plan(['stage', steps]), {
      transports: new Map([['cp-1', transport]]), contents: new Map(), clock: new FakeClock({ autoAdvance: true }), onEvent: (e) => events.push(e),
    });
    const { started, ended } = starts(events);
    expect(started('cp-1/b')).toBeGreaterThan(ended('cp-1/a'));
    expect(started('cp-1/c')).toBeGreaterThan(ended('cp-1/b'));
  });
});
