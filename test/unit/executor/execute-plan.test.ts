import { describe, expect, it, vi } from 'vitest';
import { InternalError, TransportError } from '../../../src/errors.js';
import { executePlan } from '../../../src/executor/index.js';
import type { RunEvent, StepEndEvent } from '../../../src/model/events.js';
import { Secret } from '../../../src/model/secret.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { InFlight, RecordingTransport } from '../../fakes/recording-transport.js';
import { plan, work } from './plan-builder.js';

function lab(hosts: string[], opts: ConstructorParameters<typeof RecordingTransport>[1] = {}): Map<string, RecordingTransport> {
  return new Map(hosts.map((h) => [h, new RecordingTransport(h, opts)]));
}

function run(p: Parameters<typeof executePlan>[0], transports: Map<string, RecordingTransport>, extra = {}) {
  const events: RunEvent[] = [];
  const clock = new FakeClock({ autoAdvance: true });
  const result = executePlan(p, { transports, contents: new Map(), clock, onEvent: (e) => events.push(e), ...extra });
  return { result, events };
}

const ends = (events: RunEvent[]): StepEndEvent[] => events.filter((e): e is StepEndEvent => e.type === 'step-end');
const statusOf = (events: RunEvent[]): Record<string, string> =>
  Object.fromEntries(ends(events).map((e) => [e.stepId, e.status]));

describe('executePlan', () => {
  it('runs waves in order: no step of a wave starts before the previous wave ended', async () => {
    const t = lab(['db-1', 'cp-1', 'cp-2', 'gw-1']);
    const { result, events } = run(
      plan(['database', [work('db-1', 'start')]], ['control-plane', [work('cp-1', 'start'), work('cp-2', 'start')]], ['gateway', [work('gw-1', 'start')]]),
      t,
    );
    expect((await result).ok).toBe(true);
    const order = events.map((e) => (e.type === 'step-start' || e.type === 'step-end' ? `${e.type} ${e.stepId}` : e.type));
    expect(order.indexOf('wave-start')).toBe(1);
    expect(order.indexOf('step-start gw-1/start')).toBeGreaterThan(order.indexOf('step-end cp-1/start'));
    expect(order.indexOf('step-start gw-1/start')).toBeGreaterThan(order.indexOf('step-end cp-2/start'));
    expect(order.indexOf('step-start cp-1/start')).toBeGreaterThan(order.indexOf('step-end db-1/start'));
    expect(order.at(-1)).toBe('run-end');
  });

  it('runs hosts of a wave in parallel up to the concurrency limit, each host in order', async () => {
    const hosts = Array.from({ length: 20 }, (_, i) => `gw-${i + 1}`);
    const inFlight = new InFlight();
    const delay = (): Promise<void> => new Promise((r) => setTimeout(r, 5));
    const t = lab(hosts, { inFlight, delay });
    const steps = hosts.flatMap((h) => [work(h, 'a'), work(h, 'b')]);
    await run(plan(['gateway', steps]), t, { concurrency: 4 }).result;
    expect(inFlight.max).toBe(4);
    expect(t.get('gw-7')!.lines).toEqual(['work gw-7/a', 'work gw-7/b']);

    const inFlight16 = new InFlight();
    await run(plan(['gateway', steps]), lab(hosts, { inFlight: inFlight16, delay })).result;
    expect(inFlight16.max).toBe(16);
  });

  it('a host goes on to its next step while another host of the wave is still busy (staging: unpack while others upload)', async () => {
    let release!: () => void;
    const slowLink = new Promise<void>((r) => { release = r; });
    const t = new Map([['gw-1', new RecordingTransport('gw-1')], ['gw-2', new RecordingTransport('gw-2', { delay: () => slowLink })]]);
    const { result, events } = run(plan(['stage', [work('gw-1', 'upload'), work('gw-1', 'unpack'), work('gw-2', 'upload'), work('gw-2', 'unpack')]]), t);
    await vi.waitFor(() => expect(ends(events).map((e) => e.stepId)).toEqual(['gw-1/upload', 'gw-1/unpack']));
    expect(events.some((e) => e.type === 'step-start' && e.stepId === 'gw-2/upload')).toBe(true);
    release();
    expect((await result).ok).toBe(true);
    expect(ends(events).map((e) => e.stepId)).toEqual(['gw-1/upload', 'gw-1/unpack', 'gw-2/upload', 'gw-2/unpack']);
  });

  it('blocks every dependant of a failed step, naming the cause, while independent work finishes', async () => {
    const t = lab(['cp-1', 'tm-1', 'gw-1', 'gw-2']);
    t.get('cp-1')!.on('work cp-1/start', { exitCode: 1, stderr: 'FATAL: password authentication failed\n' });
    const p = plan(
      ['control-plane', [work('cp-1', 'start'), work('cp-1', 'log-rotate'), work('tm-1', 'start')]],
      ['gateway', [work('gw-1', 'start', ['cp-1/start']), work('gw-1', 'healthy', ['gw-1/start']), work('gw-2', 'start', ['tm-1/start'])]],
    );
    const { result, events } = run(p, t);
    const r = await result;
    expect(r.ok).toBe(false);
    expect(statusOf(events)).toEqual({
      'cp-1/start': 'failed', 'cp-1/log-rotate': 'changed', 'tm-1/start': 'changed',
      'gw-1/start': 'blocked', 'gw-1/healthy': 'blocked', 'gw-2/start': 'changed',
    });
    const cause = 'blocked by cp-1/start: cp-1: work cp-1/start failed (exit 1: general failure)';
    expect(ends(events).find((e) => e.stepId === 'gw-1/healthy')!.reason).toBe(cause);
    expect(ends(events).find((e) => e.stepId === 'cp-1/start')!.error).toEqual({
      name: 'RemoteError', message: 'cp-1: work cp-1/start failed (exit 1: general failure)', detail: 'FATAL: password authentication failed',
    });
    expect(t.get('gw-1')!.lines).toEqual([]);
    expect(r.recap.find((h) => h.host === 'gw-1')).toMatchObject({ ok: 0, changed: 0, failed: 0, blocked: 2 });
    expect(r.recap.find((h) => h.host === 'cp-1')).toMatchObject({ ok: 1, changed: 1, failed: 1 });
  });

  it('waits for a dependency on another host inside the same wave', async () => {
    let lbDone = false;
    const t = lab(['lb-1', 'gw-1']);
    t.get('lb-1')!.on('work lb-1/reload', async () => {
      await new Promise((r) => setTimeout(r, 10));
      lbDone = true;
      return {};
    });
    t.get('gw-1')!.on('work gw-1/drain', () => ({ exitCode: lbDone ? 0 : 9 }));
    const { result } = run(plan(['gateway batch 1/1', [work('gw-1', 'drain', ['lb-1/reload']), work('lb-1', 'reload')]]), t);
    expect((await result).ok).toBe(true);
  });

  it('stops a mutating step whose precondition drifted, without touching the file', async () => {
    const t = lab(['gw-1']);
    t.get('gw-1')!.seedFile('/opt/wso2/gateway/conf/deployment.toml', 'hand edit');
    const upload = {
      id: 'gw-1/upload-file/toml', host: 'gw-1', kind: 'upload-file' as const, path: '/opt/wso2/gateway/conf/deployment.toml',
      mode: '0640', owner: 'wso2carbon', sha256: 'b'.repeat(64), expectSha256: 'a'.repeat(64), secret: false,
      reason: 'sha256 differs', certainty: 'certain' as const, after: [],
    };
    const { result, events } = run(plan(['gateway', [upload, work('gw-1', 'restart', [upload.id])]]), t);
    expect((await result).ok).toBe(false);
    const end = ends(events)[0]!;
    expect(end.status).toBe('failed');
    expect(end.error?.name).toBe('DriftError');
    expect(end.reason).toMatch(/^gw-1: host changed since plan: \/opt\/wso2\/gateway\/conf\/deployment.toml sha256 is [0-9a-f]{12}, plan expected aaaaaaaaaaaa; re-run plan$/);
    expect(end.error?.hint).toContain('apim-deploy plan');
    expect(t.get('gw-1')!.calls.filter((c) => c.op === 'put')).toEqual([]);
    expect(ends(events)[1]).toMatchObject({ status: 'blocked' });
  });

  it('on abort launches nothing new, lets in-flight steps finish, and reports', async () => {
    const controller = new AbortController();
    const t = lab(['gw-1', 'gw-2']);
    t.get('gw-1')!.on('work gw-1/a', () => (controller.abort(new Error('SIGINT')), {}));
    const { result, events } = run(
      plan(['gateway', [work('gw-1', 'a'), work('gw-1', 'b'), work('gw-2', 'a'), work('gw-2', 'b')]], ['load-balancer', [work('gw-1', 'c')]]),
      t,
      { signal: controller.signal, concurrency: 1 },
    );
    const r = await result;
    expect(r.aborted).toBe(true);
    expect(r.ok).toBe(false);
    expect(statusOf(events)).toEqual({
      'gw-1/a': 'changed', 'gw-1/b': 'skipped', 'gw-2/a': 'skipped', 'gw-2/b': 'skipped', 'gw-1/c': 'skipped',
    });
    expect(ends(events)[1]!.reason).toBe('not started: run interrupted');
    expect(events.at(-1)).toMatchObject({ type: 'run-end', aborted: true, failed: true });
  });

  it('marks an unreachable host: the failing step counts as unreachable, the rest of the host is skipped', async () => {
    const t = lab(['gw-1', 'gw-2']);
    t.get('gw-1')!.on('work gw-1/a', () => {
      throw new TransportError('gw-1', 'unreachable', 'connect ECONNREFUSED 10.0.0.5:22');
    });
    const { result, events } = run(plan(['gateway', [work('gw-1', 'a'), work('gw-1', 'b'), work('gw-2', 'a', ['gw-1/b'])]]), t);
    const r = await result;
    expect(statusOf(events)).toEqual({ 'gw-1/a': 'failed', 'gw-1/b': 'skipped', 'gw-2/a': 'blocked' });
    expect(ends(events)[1]!.reason).toBe('host unreachable: gw-1: connect ECONNREFUSED 10.0.0.5:22');
    expect(ends(events)[2]!.reason).toBe('blocked by gw-1/a: gw-1: connect ECONNREFUSED 10.0.0.5:22');
    expect(r.recap.find((h) => h.host === 'gw-1')).toMatchObject({ failed: 0, unreachable: 1, skipped: 1 });
  });

  it('keeps secrets out of events even when a remote command echoes them', async () => {
    const password = new Secret('s3cr3t-pw', 'DB_PASSWORD in lab.env');
    const t = lab(['cp-1']);
    t.get('cp-1')!.on('work', { exitCode: 2, stderr: 'psql: password s3cr3t-pw rejected\n' });
    const { result, events } = run(plan(['database', [work('cp-1', 'db')]]), t, { secrets: [password] });
    await result;
    const json = JSON.stringify(events);
    expect(json).not.toContain('s3cr3t-pw');
    expect(ends(events)[0]!.error?.detail).toBe('psql: password *** rejected');
  });

  it('refuses a plan whose dependencies could never resolve', async () => {
    const p = plan(['gateway', [work('gw-1', 'a', ['cp-1/start'])]], ['control-plane', [work('cp-1', 'start')]]);
    await expect(executePlan(p, { transports: lab(['gw-1', 'cp-1']), contents: new Map() })).rejects.toThrow(InternalError);
    await expect(executePlan(p, { transports: lab(['gw-1', 'cp-1']), contents: new Map() })).rejects.toThrow(
      'gw-1/a waits for cp-1/start in a later wave',
    );
  });
});
