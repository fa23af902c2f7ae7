import { createHash } from 'node:crypto';
import { InternalError } from '../errors.js';
import type { HostName, RoleName } from '../model/inventory.js';
import { PLAN_FORMAT, type Plan, type Step, type Wave } from '../model/plan.js';
import { desiredState, type DesiredHost } from './desired-state.js';
import { factsRead } from './facts-read.js';
import { hostSteps } from './host-steps.js';
import type { HostState, PlanInputs } from './inputs.js';
import { splitEarly } from './early-steps.js';
import { nodeSteps } from './node-steps.js';
import { artifactHolders, withPeerCopies } from './peer-copy.js';
import { balancerGateWave, type GatedNode } from './balancer-gate.js';
import { roleLayers } from './order.js';

// Importers of the planner find it here too; it lives with NodeRef, so balancer-gate.ts needs no cycle back to here.
export { nodeKey } from '../model/inventory.js';

/** A digest of what the plan read from a host; `--plan plan.json` re-reads and compares before changing it. */
export function factsFingerprint(state: HostState): string {
  return createHash('sha256').update(JSON.stringify({ ...state.facts, disk: null, listening: null }))
    .update(JSON.stringify(state.serviceRunning)).digest('hex');
}

/**
 * A plan that changes nothing only verifies running nodes: nothing starts, so no node has to wait for its
 * dependencies' health. One wave checks them all at once instead of one layer after another (a no-op run's
 * execution was mostly those barriers), and a failing check no longer hides the nodes that depend on it.
 */
function verifyAtOnce(layers: readonly Wave[]): Wave[] {
  const steps = layers.flatMap((w) => w.steps);
  if (steps.length === 0 || steps.some((s) => s.kind !== 'wait-healthy')) return [...layers];
  return [{ label: 'verify', steps: steps.map((s) => ({ ...s, after: [] })) }];
}

/**
 * The plan: a first wave that stages every host (directories, users, artifacts, JDK, and each node's new release
 * unpacked and filled: early-steps.ts) in parallel, then one wave per start layer (database and load balancer,
 * control planes, key managers, traffic managers, gateways). A node's steps wait for its host's staging and for the
 * health gate of every node of a role it depends on. When nodes behind a load balancer (re)start, a last wave waits
 * until the balancer itself routes to them (balancer-gate.ts). An artifact several hosts of one datacenter need
 * crosses the controller's link once: the other hosts copy it from a peer (peer-copy.ts) unless `peerCopy` is false.
 */
export function buildPlan(inputs: PlanInputs, desired: readonly DesiredHost[] = desiredState(inputs)): Plan {
  const stateOf = (host: HostName): HostState => {
    const s = inputs.state.get(host);
    if (!s) throw new InternalError(`no facts were gathered for ${host}`);
    return s;
  };
  const stage: Step[] = [];
  const stageTail = new Map<HostName, readonly string[]>();
  for (const d of desired) {
    const { steps, tail } = hostSteps(d, stateOf(d.host.name));
    stage.push(...steps);
    stageTail.set(d.host.name, tail);
  }

  const nodes = desired.flatMap((d) => d.nodes);
  const roleOf = new Map(nodes.map((n) => [n.node.role, n.runtime.dependsOn] as const));
  const layers = roleLayers([...roleOf.keys()], (r) => roleOf.get(r) ?? []);
  const gates = new Map<RoleName, string[]>();
  const layerWaves: Wave[] = [];
  const changedHosts = new Set(stage.map((s) => s.host));
  const gated: GatedNode[] = [];

  for (const layer of layers) {
    const steps: Step[] = [];
    for (const n of nodes.filter((x) => layer.includes(x.node.role))) {
      const deps = n.runtime.dependsOn.flatMap((r) => gates.get(r) ?? []);
      const host = n.node.host;
      const tail = stageTail.get(host) ?? [];
      const built = nodeSteps(n, stateOf(host), [...tail, ...deps], inputs.healthTimeoutMs ? { healthTimeoutMs: inputs.healthTimeoutMs } : {});
      const { early, rest } = splitEarly(n, stateOf(host), built.steps, tail, deps);
      if (early.length > 0) {
        stage.push(...early);
        stageTail.set(host, [early.at(-1)!.id]);
      }
      steps.push(...rest);
      if (built.changed) changedHosts.add(host);
      gated.push({ node: n.node, lastStepId: built.healthyStepId, starts: built.steps.some((s) => s.kind === 'start-component' || s.kind === 'reload-component') });
      (gates.get(n.node.role) ?? gates.set(n.node.role, []).get(n.node.role)!).push(built.healthyStepId);
    }
    if (steps.length > 0) layerWaves.push({ label: layer.join(' + '), steps });
  }
  const balancersRoute = balancerGateWave(inputs.rendered, gated);
  if (balancersRoute) layerWaves.push(balancersRoute);
  const planned: Wave[] = stage.length > 0 ? [{ label: 'stage', steps: stage }, ...layerWaves]
    : changedHosts.size === 0 ? verifyAtOnce(layerWaves) : layerWaves;
  const waves = inputs.peerCopy === false ? planned : withPeerCopies(planned, new Map(inputs.inventory.hosts.map((h) => [h.name, h])), artifactHolders(desired, (h) => stateOf(h).facts));

  return {
    format: PLAN_FORMAT,
    inventory: inputs.inventory.file,
    apimVersion: inputs.inventory.apim.version,
    createdAt: inputs.now,
    factsFingerprint: Object.fromEntries(desired.map((d) => [d.host.name, factsFingerprint(stateOf(d.host.name))])),
    factsRead: Object.fromEntries(desired.map((d) => [d.host.name, factsRead(stateOf(d.host.name))])),
    waves,
    unchanged: desired.filter((d) => !changedHosts.has(d.host.name)).map((d) => ({ host: d.host.name, reason: 'everything up to date' })),
  };
}
