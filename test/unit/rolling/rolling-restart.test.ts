/**
 * `provision --rolling`, the pure part: which running nodes leave the plan to restart in drain windows, the plan
 * that runs before them (dependants of a removed node wait for what it waited for), refusing release changes, and
 * the node as it was before its window.
 */
import { describe, expect, it } from 'vitest';
import { validateDependencies } from '../../../src/executor/validate.js';
import { buildPlan } from '../../../src/planner/build-plan.js';
import { desiredState } from '../../../src/planner/desired-state.js';
import type { HostState, PlanInputs } from '../../../src/planner/inputs.js';
import { nodesToRoll, releaseChanges, revertedNode, withoutNodes } from '../../../src/planner/rolling-restart.js';
import { allSteps, converged, exampleInputs, fakeArtifact, freshFacts, routableGates } from '../planner/fixtures.js';

const ENV = '/opt/wso2/gateway/wso2.env';
const CP_ENV = '/opt/wso2/control-plane/wso2.env';
const withHost = (inputs: PlanInputs, host: string, edit: (s: HostState) => HostState): PlanInputs =>
  ({ ...inputs, state: new Map([...inputs.state].map(([h, s]) => [h, h === host ? edit(s) : s])) });
const staleFile = (path: string) => (s: HostState): HostState => ({ ...s, facts: { ...s.facts, files: { ...s.facts.files, [path]: 'f'.repeat(64) } } });

describe('provision --rolling plan split', () => {
  it('rolls the running WSO2 nodes the plan would stop, and nothing else', async () => {
    let inputs = converged(await exampleInputs('lab'));
    inputs = withHost(withHost(inputs, 'gw-1', staleFile(ENV)), 'gw-2', staleFile(ENV));
    const plan = buildPlan(inputs);
    const roll = nodesToRoll(plan, desiredState(inputs));
    expect(roll.map((n) => `${n.node.host}/${n.node.role}`)).toEqual(['gw-1/gateway', 'gw-2/gateway']);
    expect(releaseChanges(plan, roll)).toEqual([]);

    const first = withoutNodes(plan, roll.map((n) => n.node));
    expect(allSteps(first).filter((s) => s.host === 'gw-1' || s.host === 'gw-2')).toEqual([]);
    expect(allSteps(first).filter((s) => s.kind !== 'wait-healthy')).toEqual([]);
    expect(() => validateDependencies(first)).not.toThrow();
  });

  it('the first part\'s balancer gate waits for the node it starts, not for the node rolled after it', async () => {
    let inputs = converged(await exampleInputs('lab'));
    inputs = withHost(withHost(inputs, 'gw-1', (s) => ({ ...s, facts: { ...s.facts, pids: {} } })), 'gw-2', staleFile(ENV));
    const plan = buildPlan(inputs);
    expect(routableGates(plan)).toEqual(['lb-1: gw-1/gateway (5)', 'lb-1: gw-2/gateway (5)']);
    const first = withoutNodes(plan, nodesToRoll(plan, desiredState(inputs)).map((n) => n.node));
    expect(routableGates(first)).toEqual(['lb-1: gw-1/gateway (5)']);
    // What the rolled node's gate waited for stands in for it (its dependencies' gates); none of its own steps.
    const after = allSteps(first).find((s) => s.kind === 'wait-routable')!.after;
    expect(after).toEqual(expect.arrayContaining(['lb-1/wait-healthy/load-balancer', 'gw-1/wait-healthy/gateway']));
    expect(after.filter((id) => id.startsWith('gw-2/'))).toEqual([]);
    expect(() => validateDependencies(first)).not.toThrow();
  });

  it('a node that is not running is started by the first part, not rolled', async () => {
    let inputs = converged(await exampleInputs('lab'));
    inputs = withHost(inputs, 'gw-1', (s) => ({ ...staleFile(ENV)(s), facts: { ...staleFile(ENV)(s).facts, pids: {} } }));
    const plan = buildPlan(inputs);
    expect(nodesToRoll(plan, desiredState(inputs))).toEqual([]);
    expect(allSteps(withoutNodes(plan, [])).some((s) => s.host === 'gw-1' && s.kind === 'start-component')).toBe(true);
  });

  it('dependants of a rolled control plane wait for what its steps waited for, so the plan stays valid', async () => {
    let inputs = converged(await exampleInputs('lab'));
    inputs = withHost(withHost(inputs, 'cp-1', staleFile(CP_ENV)), 'gw-2', (s) => ({ ...s, facts: { ...freshFacts() } }));
    const plan = buildPlan(inputs);
    // The gateway's first step after the stage wave (which unpacks and fills its release with no dependency up).
    expect(plan.waves[0]!.steps.some((s) => s.host === 'gw-2' && s.kind === 'extract-archive' && s.id.includes('/opt/wso2/gateway/'))).toBe(true);
    const gwStart = plan.waves.slice(1).flatMap((w) => w.steps).find((s) => s.host === 'gw-2' && s.node?.role === 'gateway')!;
    expect(gwStart.after.some((id) => id.startsWith('cp-1/'))).toBe(true);

    const first = withoutNodes(plan, [{ host: 'cp-1', role: 'control-plane' }]);
    expect(() => validateDependencies(first)).not.toThrow();
    const after = allSteps(first).find((s) => s.id === gwStart.id)!.after;
    expect(after.some((id) => id.startsWith('cp-1/'))).toBe(false);
    expect(after.some((id) => id.startsWith('cp-2/wait-healthy/'))).toBe(true);
  });

  it('names nodes whose release changes (an upgrade, not a restart)', async () => {
    const inputs = converged(await exampleInputs('lab'));
    const rebuilt = { ...inputs, artifacts: { ...inputs.artifacts, acp: fakeArtifact('acp', 'wso2am-acp-4.6.0.zip', 'a rebuilt pack') } };
    const plan = buildPlan(rebuilt);
    const roll = nodesToRoll(plan, desiredState(rebuilt));
    expect(releaseChanges(plan, roll).map((n) => n.node.host)).toEqual(['cp-1', 'cp-2']);
  });

  it('the node as it was: changed files back to their old sha256, libraries left alone', async () => {
    const inputs = converged(await exampleInputs('lab'));
    const gw = desiredState(inputs).flatMap((d) => d.nodes).find((n) => n.node.host === 'gw-1')!;
    const back = revertedNode(gw, new Map([[ENV, 'a'.repeat(64)]]));
    expect(back.files.find((f) => f.path === ENV)!.sha256).toBe('a'.repeat(64));
    expect(back.files.filter((f) => f.path !== ENV)).toEqual(gw.files.filter((f) => f.path !== ENV));
    expect(back.libs).toEqual([]);
  });
});
