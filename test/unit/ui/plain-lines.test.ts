import { describe, expect, it } from 'vitest';
import { executePlan } from '../../../src/executor/index.js';
import type { RunEvent } from '../../../src/model/events.js';
import { Secret } from '../../../src/model/secret.js';
import type { Step } from '../../../src/model/plan.js';
import { chooseRenderer, createJsonRenderer, createListrRenderer, plainLines } from '../../../src/ui/index.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { RecordingTransport } from '../../fakes/recording-transport.js';
import { plan } from '../executor/plan-builder.js';

const base = { reason: 'config changed: restart', certainty: 'certain' as const, after: [] as string[] };
const cpStart: Step = { ...base, id: 'cp-1/start-component/control-plane', host: 'cp-1', kind: 'start-component', component: 'control-plane', argv: ['/opt/wso2/control-plane/current/bin/api-cp.sh', 'start'], env: {} };
const tmStart: Step = { ...base, id: 'tm-1/start-component/traffic-manager', host: 'tm-1', kind: 'start-component', component: 'traffic-manager', argv: ['/opt/wso2/traffic-manager/current/bin/traffic-manager.sh', 'start'], env: {}, pidFile: '/opt/wso2/traffic-manager/current/wso2carbon.pid' };
const gwStop: Step = { ...base, id: 'gw-1/stop-component/gateway', host: 'gw-1', kind: 'stop-component', component: 'gateway', argv: ['/opt/wso2/gateway/current/bin/gateway.sh', 'stop'], pidFile: '/opt/wso2/gateway/current/wso2carbon.pid', graceMs: 5000 };
const gwStart: Step = { ...base, id: 'gw-1/start-component/gateway', host: 'gw-1', kind: 'start-component', component: 'gateway', argv: ['/opt/wso2/gateway/current/bin/gateway.sh', 'start'], env: {}, after: [cpStart.id, gwStop.id] };

/** Time advances 100 ms per command so durations are stable. */
function slowTransport(host: string, clock: FakeClock): RecordingTransport {
  return new RecordingTransport(host).on(/.*/, () => (clock.advance(100), {}));
}

async function recordRun(): Promise<RunEvent[]> {
  const clock = new FakeClock({ autoAdvance: true });
  const cp = slowTransport('cp-1', clock).on('api-cp.sh', () => (clock.advance(300), { exitCode: 1, stderr: 'password=hunter2 refused\nJAVA_HOME is not set\n' }));
  const tm = slowTransport('tm-1', clock).on('pid-alive', { stdout: '311\n' });
  let polls = 0;
  const gw = slowTransport('gw-1', clock)
    .on('pid-alive', { stdout: '977\n' })
    .on('process-alive 977', () => (clock.advance(100), { exitCode: ++polls < 4 ? 0 : 1 }));
  const events: RunEvent[] = [];
  await executePlan(plan(['control-plane', [cpStart, tmStart]], ['gateway', [gwStop, gwStart]]), {
    transports: new Map([['cp-1', cp], ['tm-1', tm], ['gw-1', gw]]), contents: new Map(), clock,
    secrets: [new Secret('hunter2', 'ADMIN_PASSWORD')], onEvent: (e) => events.push(e),
  });
  return events;
}

describe('plain renderer', () => {
  it('turns a run into CI lines: statuses, reasons, errors with their detail, warnings, recap', async () => {
    const lines = (await recordRun()).flatMap(plainLines);
    expect(lines).toEqual([
      'PLAN 2 waves, 4 steps',
      '== wave 1: control-plane (cp-1, tm-1)',
      '[tm-1] start-component traffic-manager ... unchanged (0.3s): already running (pid 311)',
      '[cp-1] start-component control-plane ... failed (0.3s)',
      '    error: cp-1: sh -c \'setsid "$@" </dev/null\' start-component /opt/wso2/control-plane/current/bin/api-cp.sh start failed (exit 1: general failure)',
      '      password=*** refused',
      '      JAVA_HOME is not set',
      '== wave 2: gateway (gw-1)',
      '[gw-1] stop-component gateway ... changed (2.0s)',
      '[gw-1] start-component gateway ... blocked (0.0s): blocked by cp-1/start-component/control-plane: cp-1: sh -c \'setsid "$@" </dev/null\' start-component /opt/wso2/control-plane/current/bin/api-cp.sh start failed (exit 1: general failure)',
      '',
      'PLAY RECAP',
      'cp-1 : ok=0   changed=0   failed=1   blocked=0   unreachable=0   duration=0.3s',
      'tm-1 : ok=1   changed=0   failed=0   blocked=0   unreachable=0   duration=0.3s',
      'gw-1 : ok=1   changed=1   failed=0   blocked=1   unreachable=0   duration=2.0s',
      '',
      'FAILED in 2.3s',
    ]);
  });

  it('json renderer writes one parseable, versioned, secret-free event per line', async () => {
    let out = '';
    const renderer = createJsonRenderer((t) => (out += t));
    for (const e of await recordRun()) renderer.onEvent(e);
    const lines = out.trimEnd().split('\n');
    const parsed = lines.map((l) => JSON.parse(l) as { format: number; type: string });
    expect(parsed.map((p) => p.type)).toEqual([
      'run-start', 'wave-start', 'step-start', 'step-start', 'step-end', 'step-end', 'wave-end',
      'wave-start', 'step-start', 'step-end', 'step-end', 'wave-end', 'run-end',
    ]);
    expect(parsed.every((p) => p.format === 1)).toBe(true);
    expect(out).not.toContain('hunter2');
  });

  it('listr2 adapter follows a run to the end and prints the recap', async () => {
    let out = '';
    const renderer = createListrRenderer((t) => (out += t), 'silent');
    for (const e of await recordRun()) renderer.onEvent(e);
    await renderer.done();
    expect(out).toContain('PLAY RECAP\ncp-1 : ok=0   changed=0   failed=1');
  });

  it('picks json when asked, listr2 on a terminal outside CI, plain otherwise', () => {
    expect(chooseRenderer({ json: true, isTTY: true, env: {} })).toBe('json');
    expect(chooseRenderer({ isTTY: true, env: {} })).toBe('listr');
    expect(chooseRenderer({ isTTY: true, env: { CI: 'true' } })).toBe('plain');
    expect(chooseRenderer({ isTTY: false, env: {} })).toBe('plain');
    expect(chooseRenderer({ isTTY: true, env: { TERM: 'dumb' } })).toBe('plain');
  });
});
