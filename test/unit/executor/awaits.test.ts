import { describe, expect, it } from 'vitest';
import { executePlan } from '../../../src/executor/index.js';
import type { RunEvent, StepEndEvent, StepStartEvent } from '../../../src/model/events.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { RecordingTransport } from '../../fakes/recording-transport.js';
import { plan, work } from './plan-builder.js';

describe('executePlan: awaits (a peer copy waiting for its source)', () => {
  for (const seedFails of [false, true]) {
    it(`starts the awaiting step only after the awaited one ended, and runs it even when that one ${seedFails ? 'failed' : 'succeeded'}`, async () => {
      const transports = new Map(['gw-1', 'gw-2'].map((h) => [h, new RecordingTransport(h)]));
      if (seedFails) transports.get('gw-1')!.on('work gw-1/upload', { exitCode: 1, stderr: 'disk full' });
      const events: RunEvent[] = [];
      const fetch = { ...work('gw-2', 'fetch'), awaits: ['gw-1/upload'] };
      const result = await executePlan(plan(['stage', [work('gw-1', 'upload'), fetch, work('gw-2', 'extract', ['gw-2/fetch'])]]), {
        transports, contents: new Map(), clock: new FakeClock({ autoAdvance: true }), onEvent: (e) => events.push(e),
      });
      const order = events.filter((e): e is StepStartEvent | StepEndEvent => e.type === 'step-start' || e.type === 'step-end').map((e) => `${e.type} ${e.stepId}`);
      expect(order.indexOf('step-start gw-2/fetch')).toBeGreaterThan(order.indexOf('step-end gw-1/upload'));
      const status = Object.fromEntries(result.steps.map((s) => [s.stepId, s.status]));
      expect(status).toEqual({ 'gw-1/upload': seedFails ? 'failed' : 'changed', 'gw-2/fetch': 'changed', 'gw-2/extract': 'changed' });
    });
  }
});
