/**
 * Pattern 5 with `service_manager: systemd` (the lab has no systemd, so the plan is checked here): `systemctl
 * daemon-reload` planned exactly when a unit's content is new to systemd. The whole fresh plan is a golden file:
 * test/golden/plan/pattern-5/expected-plan.json.
 */
import { describe, expect, it } from 'vitest';
import type { Step } from '../../../src/model/plan.js';
import { buildPlan } from '../../../src/planner/build-plan.js';
import type { PlanInputs } from '../../../src/planner/inputs.js';
import { allSteps, brief, changingSteps, converged, exampleInputs, stepsOf } from './fixtures.js';

const UNIT = '/etc/systemd/system/wso2am-key-manager.service';

const RELOAD_MARKERS = '/var/lib/apim-deploy/systemd/';

/** km-1 as it was before the unit changed: other content on disk, and systemd's marker for that content only. */
function kmWithOldUnit(inputs: PlanInputs): PlanInputs {
  const km = inputs.state.get('km-1')!;
  const markers = Object.fromEntries(Object.entries(km.facts.markers).filter(([m]) => !m.startsWith(RELOAD_MARKERS)));
  const facts = { ...km.facts, files: { ...km.facts.files, [UNIT]: 'e'.repeat(64) }, markers: { ...markers, [`${RELOAD_MARKERS}wso2am-key-manager.service.eeeeeeeeeeee`]: true } };
  return { ...inputs, state: new Map([...inputs.state, ['km-1', { ...km, facts }]]) };
}

describe('systemd inventory (pattern 5)', () => {
  it('starts through systemctl, with a daemon-reload after the unit is written and right before the start', async () => {
    const km = stepsOf(buildPlan(await exampleInputs('pattern-5')), 'km-1');
    const at = (id: string) => km.findIndex((s) => s.id === `km-1/${id}`);
    const reload = at('run-once/daemon-reload-wso2am-key-manager.service');
    expect(reload).toBeGreaterThan(at(`upload-file/${UNIT}`));
    expect(reload).toBeGreaterThan(at('link//opt/wso2/key-manager/current'));
    // Enabled once (systemctl enable makes the multi-user.target.wants link, which is also its marker), then started.
    expect(km[reload + 1]).toMatchObject({ id: 'km-1/run-once/enable-wso2am-key-manager.service', argv: ['systemctl', 'enable', 'wso2am-key-manager.service'],
      marker: '/etc/systemd/system/multi-user.target.wants/wso2am-key-manager.service', reason: 'not enabled: it would not start at boot' });
    expect(km[reload + 2]!.id).toBe('km-1/start-component/key-manager');
    expect(km[reload]).toMatchObject({
      kind: 'run-once', reason: 'unit file changed', marker: expect.stringMatching(/^\/var\/lib\/apim-deploy\/systemd\/wso2am-key-manager\.service\.[0-9a-f]{12}$/),
      argv: ['sh', '-c', 'systemctl daemon-reload && rm -f -- "$1".*', 'daemon-reload', '/var/lib/apim-deploy/systemd/wso2am-key-manager.service'],
    });
    // The start runs systemctl, then clears the pending-change markers it has applied.
    const start = km[reload + 2] as Extract<Step, { kind: 'start-component' }>;
    expect(start.argv.slice(3)).toEqual(['apply-pending', '/var/lib/apim-deploy/pending/key-manager.restart',
      '/var/lib/apim-deploy/pending/key-manager.reload', 'systemctl', 'start', 'wso2am-key-manager.service']);
    expect(allSteps(buildPlan(await exampleInputs('pattern-5'))).filter((s) => s.id.includes('daemon-reload')).map((s) => s.host).sort())
      .toEqual(['apim-1', 'gw-1', 'gw-2', 'km-1', 'km-2']);
  });

  it('a node disabled by hand (the wants link gone): only the enable, no restart', async () => {
    const inputs = converged(await exampleInputs('pattern-5'));
    const km = inputs.state.get('km-1')!;
    const link = '/etc/systemd/system/multi-user.target.wants/wso2am-key-manager.service';
    const plan = buildPlan({ ...inputs, state: new Map([...inputs.state, ['km-1', { ...km, facts: { ...km.facts, markers: { ...km.facts.markers, [link]: false } } }]]) });
    expect(brief(allSteps(plan).filter((s) => s.kind !== 'wait-healthy'))).toEqual([
      'run-once/enable-wso2am-key-manager.service: not enabled: it would not start at boot',
    ]);
  });

  it('service roles enable their Debian package\'s unit (a no-op where Debian already enabled it on install)', async () => {
    const plan = buildPlan(await exampleInputs('pattern-5'));
    expect(allSteps(plan).filter((s) => s.id.includes('/run-once/enable-') && !s.id.includes('wso2am-')).map((s) => (s as Extract<Step, { kind: 'run-once' }>).argv))
      .toEqual([['systemctl', 'enable', 'nginx.service'], ['systemctl', 'enable', 'mariadb.service']]);
    const inputs = converged(await exampleInputs('pattern-5'));
    expect(allSteps(buildPlan(inputs)).filter((s) => s.id.includes('enable-'))).toEqual([]);
  });

  it('script nodes write no unit and enable nothing', async () => {
    expect(allSteps(buildPlan(await exampleInputs('pattern-3'))).filter((s) => s.id.includes('enable-'))).toEqual([]);
  });

  it('converged: no daemon-reload', async () => {
    expect(allSteps(buildPlan(converged(await exampleInputs('pattern-5')))).every((s) => s.kind === 'wait-healthy')).toBe(true);
  });

  it('a changed unit: upload, stop, daemon-reload, start on that node alone', async () => {
    const plan = buildPlan(kmWithOldUnit(converged(await exampleInputs('pattern-5'))));
    const changing = changingSteps(plan);
    expect(brief(changing)).toEqual([
      'run-once//var/lib/apim-deploy/pending/key-manager.restart: kept until the change is applied, so an interrupted run still applies it',
      `upload-file/${UNIT}: content differs`,
      `stop-component/key-manager: restart: ${UNIT} changed`,
      'run-once/daemon-reload-wso2am-key-manager.service: unit file changed',
      `start-component/key-manager: restart: ${UNIT} changed`,
    ]);
    expect(changing.every((s) => s.host === 'km-1')).toBe(true);
  });

  it('a unit on disk that systemd never re-read (a reload that failed): daemon-reload again', async () => {
    const inputs = converged(await exampleInputs('pattern-5'));
    const km = inputs.state.get('km-1')!;
    const markers = Object.fromEntries(Object.entries(km.facts.markers).filter(([m]) => !m.startsWith(RELOAD_MARKERS)));
    const plan = buildPlan({ ...inputs, state: new Map([...inputs.state, ['km-1', { ...km, facts: { ...km.facts, markers } }]]) });
    expect(brief(allSteps(plan).filter((s) => s.kind !== 'wait-healthy'))).toEqual([
      'run-once/daemon-reload-wso2am-key-manager.service: systemd has not re-read this unit',
    ]);
  });
});
