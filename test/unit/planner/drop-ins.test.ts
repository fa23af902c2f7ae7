/** Drop-in files in the plan: where each lands, how it travels, and that a change restarts only the nodes that hold it. */
import { describe, expect, it } from 'vitest';
import type { StepOf } from '../../../src/model/plan.js';
import { buildPlan } from '../../../src/planner/build-plan.js';
import { desiredState } from '../../../src/planner/desired-state.js';
import { secretFiles } from '../../../src/planner/seal-plan.js';
import { allSteps, converged, stepsOf } from './fixtures.js';
import { dropInArtifacts, dropInsInputs } from './drop-ins-fixture.js';

const REL = '/opt/wso2/gateway/releases/4.6.0-';
const stopped = (plan: ReturnType<typeof buildPlan>) => allSteps(plan).filter((s) => s.kind === 'stop-component').map((s) => `${s.host}: ${s.reason}`);

describe('drop-in files in the plan', () => {
  it('fresh hosts: verbatim files go up with put and sha256 checks, templated ones as rendered files, each to its root', async () => {
    const inputs = await dropInsInputs();
    const plan = buildPlan(inputs);
    const artifacts = (host: string) => stepsOf(plan, host).filter((s): s is StepOf<'upload-artifact'> => s.kind === 'upload-artifact' && !s.path.includes('/.artifacts/') && !s.path.endsWith('postgresql.jar'))
      .map((s) => `${s.path.replace(/releases\/4\.6\.0-[0-9a-f]{8}/, 'releases/R')} ${s.mode} ${s.owner}`);
    expect(artifacts('gw-2')).toEqual([
      '/opt/wso2/gateway/releases/R/repository/components/dropins/audit-handler.jar 0644 wso2carbon:wso2',
      '/opt/wso2/gateway/releases/R/repository/conf/log4j2.properties 0644 wso2carbon:wso2',
    ]);
    expect(artifacts('gw-1')).toEqual(['/opt/wso2/gateway/releases/R/repository/components/dropins/audit-handler.jar 0644 wso2carbon:wso2']);
    expect(artifacts('lb-1')).toEqual([]);
    const uploads = (host: string) => stepsOf(plan, host).filter((s): s is StepOf<'upload-file'> => s.kind === 'upload-file');
    const log4j = uploads('gw-1').find((s) => s.path.endsWith('log4j2.properties'))!;
    expect(log4j.path.startsWith(REL)).toBe(true);
    expect(log4j.secret).toBe(false);
    expect(inputs.rendered.find((r) => r.host === 'gw-1')!.files.find((f) => f.path.endsWith('log4j2.properties'))!.content).toMatch(/^# log4j2.properties for gw-1 \(gateway\)/);
    // The userstore goes to the persistent data dir, holds the admin password: secret, 0600. Its dir is not made at
    // staging: the release's own userstores dir moves there first (a dir made before would stop that move).
    const userstore = uploads('apim-1').find((s) => s.path.endsWith('ldap.xml'))!;
    expect(userstore).toMatchObject({ path: '/opt/wso2/all-in-one/data/repository/deployment/server/userstores/ldap.xml', mode: '0600', owner: 'wso2carbon:wso2', secret: true });
    expect(secretFiles(desiredState(inputs)).has(`apim-1\0${userstore.path}`)).toBe(true);
    expect(stepsOf(plan, 'apim-1').filter((s) => s.kind === 'ensure-dir' && s.paths.some((p) => p.includes('/data/')))).toEqual([]);
    const order = stepsOf(plan, 'apim-1').map((s) => s.id);
    expect(order.indexOf(userstore.id)).toBeGreaterThan(order.findIndex((id) => id.endsWith('/persistent')));
  });

  it("a changed verbatim file on one host restarts that node alone; a changed shared JAR restarts every node that holds it", async () => {
    const inputs = converged(await dropInsInputs());
    expect(stopped(buildPlan(inputs))).toEqual([]);
    const oneHost = buildPlan({ ...inputs, dropIns: dropInArtifacts(inputs, { 'log4j2-debug.properties': 'rootLogger.level = TRACE' }) });
    expect(stopped(oneHost)).toEqual([`gw-2: restart: ${stepsOf(oneHost, 'gw-2').find((s) => s.kind === 'upload-artifact')!.path} changed`]);
    const upload = stepsOf(oneHost, 'gw-2').find((s) => s.kind === 'upload-artifact')!;
    expect(upload.reason).toBe('sha256 differs');
    const shared = buildPlan({ ...inputs, dropIns: dropInArtifacts(inputs, { 'audit-handler.jar': 'audit-handler 1.0.1' }) });
    expect(stopped(shared).map((s) => s.split(':')[0])).toEqual(['apim-1', 'gw-1', 'gw-2']);
  });

  it('a changed template restarts only the nodes it renders for', async () => {
    const inputs = converged(await dropInsInputs());
    // What the hosts hold: the userstore rendered with another password (the inventory's changed).
    const state = new Map(inputs.state);
    const apim = state.get('apim-1')!;
    const path = '/opt/wso2/all-in-one/data/repository/deployment/server/userstores/ldap.xml';
    state.set('apim-1', { ...apim, facts: { ...apim.facts, files: { ...apim.facts.files, [path]: 'f'.repeat(64) } } });
    const plan = buildPlan({ ...inputs, state });
    expect(stopped(plan)).toEqual([`apim-1: restart: ${path} changed`]);
  });
});
