import { describe, expect, it } from 'vitest';
import { desiredState } from '../../../src/planner/desired-state.js';
import { stageSteps } from '../../../src/planner/rolling-stage.js';
import { validateDependencies } from '../../../src/executor/validate.js';
import { PLAN_FORMAT, type Plan } from '../../../src/model/plan.js';
import { stagePlan } from '../../../src/workflows/upgrade/stage.js';
import type { UpgradeScope } from '../../../src/workflows/upgrade/scope.js';
import { converged, exampleInputs, fakeArtifact } from './fixtures.js';

const emptyPlan: Plan = { format: PLAN_FORMAT, inventory: '/i.yaml', apimVersion: '4.6.0', createdAt: 'now', factsFingerprint: {}, waves: [], unchanged: [] };

describe('staging a new release before the first node stops', () => {
  it('unpacks it, uploads its configs, the internal CA and the JDBC driver into it, imports the CA; stops and switches nothing', async () => {
    const inputs = converged(await exampleInputs('lab'));
    const rebuilt = { ...inputs, artifacts: { ...inputs.artifacts, acp: fakeArtifact('acp', 'wso2am-acp-4.6.0.zip', 'a rebuilt pack') } };
    const desired = desiredState(rebuilt);
    const cp = desired.find((d) => d.host.name === 'cp-1')!.nodes[0]!;
    const staged = stageSteps(desired, rebuilt.state, [cp.node]).nodes;
    const release = cp.release!.dir;
    expect(staged.map((s) => s.kind)).toEqual(['extract-archive', 'run-once', 'upload-file', 'upload-file', 'upload-artifact', 'run-once']);
    // The truststore import touches the new release alone (inRelease): staged, so the node's window does not wait for it.
    expect(staged.at(-1)).toMatchObject({ id: 'cp-1/run-once/setup-control-plane-trusts-internal-ca' });
    const ca = staged.at(-1)!;
    expect(ca.kind === 'run-once' && ca.marker.startsWith(`${release}/`)).toBe(true);
    expect(staged.filter((s) => s.kind === 'upload-artifact').map((s) => s.kind === 'upload-artifact' && s.path))
      .toEqual([`${release}/repository/components/lib/${inputs.artifacts['jdbc-driver']!.fileName}`]);
    expect(staged.some((s) => s.kind === 'upload-file' && s.path === `${release}/repository/resources/security/apim-deploy-ca.pem`)).toBe(true);
  });
});

describe('staging plan of an upgrade: peer copy (issue 13)', () => {
  const MB = 1024 * 1024;
  async function staging(opts: { gw1Holds: boolean; peerCopy?: boolean }) {
    const inputs = converged(await exampleInputs('lab'));
    const pack = { ...fakeArtifact('universal-gw', 'wso2am-universal-gw-4.6.0.zip', 'a rebuilt gateway pack'), size: 300 * MB };
    const rebuilt = { ...inputs, artifacts: { ...inputs.artifacts, 'universal-gw': pack } };
    const desired = desiredState(rebuilt);
    const archive = desired.find((d) => d.host.name === 'gw-1')!.artifacts.find((a) => a.artifact.sha256 === pack.sha256)!.path;
    const state = new Map([...rebuilt.state].map(([h, s]) => [h, h === 'gw-1' && opts.gw1Holds ? { ...s, facts: { ...s.facts, files: { ...s.facts.files, [archive]: pack.sha256 } } } : s]));
    const nodes = desired.flatMap((d) => d.nodes);
    const targets = nodes.filter((n) => n.node.role === 'gateway');
    const scope = { nodes, hosts: desired, state, before: new Map(), targets, releasesOf: () => { throw new Error('not read by staging'); } } as unknown as UpgradeScope;
    const plan = stagePlan({ inventory: rebuilt.inventory, desired } as unknown as Parameters<typeof stagePlan>[0], scope, opts.peerCopy === false ? { peerCopy: false } : {});
    return { archive, steps: plan.waves.flatMap((w) => w.steps) };
  }
  it('the new pack crosses the controller link once: the second gateway copies it from the first', async () => {
    const { archive, steps } = await staging({ gw1Holds: false });
    expect(steps.filter((s) => s.kind === 'upload-artifact' && s.path === archive).map((s) => s.host)).toEqual(['gw-1']);
    expect(steps.find((s) => s.kind === 'peer-fetch' && s.path === archive)).toMatchObject({ host: 'gw-2', from: { host: 'gw-1' }, awaits: [`gw-1/upload-artifact/${archive}`] });
    expect(() => validateDependencies({ ...emptyPlan, waves: [{ label: 'stage', steps }] })).not.toThrow();
  });
  it('a gateway that holds it already (a staging stopped half way) is the seed: it does not cross the link at all', async () => {
    const { archive, steps } = await staging({ gw1Holds: true });
    expect(steps.filter((s) => s.kind === 'upload-artifact' && s.path === archive)).toEqual([]);
    expect(steps.filter((s) => s.kind === 'peer-fetch' && s.path === archive).map((s) => s.host)).toEqual(['gw-2']);
  });
  it('--no-peer-copy: every gateway gets it from the controller', async () => {
    const { archive, steps } = await staging({ gw1Holds: false, peerCopy: false });
    expect(steps.filter((s) => s.kind === 'upload-artifact' && s.path === archive).map((s) => s.host)).toEqual(['gw-1', 'gw-2']);
    expect(steps.some((s) => s.kind === 'peer-fetch')).toBe(false);
  });
});
