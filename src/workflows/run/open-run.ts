import type { RoleCatalog } from '../../catalog/roles.js';
import type { ResolvedRuntime } from '../../catalog/runtime.js';
import type { HostName, Inventory, NodeRef } from '../../model/inventory.js';
import type { FileContent } from '../../model/plan.js';
import { nodeKey } from '../../planner/build-plan.js';
import { desiredState, type DesiredHost } from '../../planner/desired-state.js';
import type { HostState, PlanInputs } from '../../planner/inputs.js';
import { renderInventory, type RenderedNode } from '../../render/render-inventory.js';
import type { Transport } from '../../transport/transport.js';
import { connect, type Connections } from './connect.js';
import { gatherState } from './read-state.js';
import { preflightProblems } from './preflight.js';
import { planningInputs } from './planning-inputs.js';
import { preflightError, unreachableError } from './run-errors.js';

/** What a rolling run works from: the desired inventory rendered, its artifacts hashed, one connection per host. */
export interface RollingContext {
  readonly inventory: Inventory;
  readonly catalog: RoleCatalog;
  readonly rendered: readonly RenderedNode[];
  readonly desired: readonly DesiredHost[];
  /** Rendered and distribution files by sha256 (balancer re-renders are added as they are made). */
  readonly contents: Map<string, FileContent>;
  readonly connections: Connections;
  readonly transports: ReadonlyMap<HostName, Transport>;
  /** Planner inputs minus state, for nodeSteps/hostSteps. */
  readonly inputs: Omit<PlanInputs, 'state'>;
  /** Each node's runtime as a given APIM version runs it (stop and start of the release being left). */
  runtimeAt(version: string, node: NodeRef): ResolvedRuntime | undefined;
}

/** load (already done) → render → hash artifacts → connect. Throws when a host is unreachable: nothing changed yet. */
export async function openRollingContext(inventory: Inventory, opts: { acceptNewHostKeys?: boolean; withArtifacts: boolean }): Promise<RollingContext> {
  const { catalog, rendered, contents, inputs } = await planningInputs(inventory, { withArtifacts: opts.withArtifacts });
  const desired = opts.withArtifacts ? desiredState({ ...inputs, state: new Map() }) : [];

  const connections = await connect(inventory.hosts, opts.acceptNewHostKeys !== undefined ? { acceptNewHostKeys: opts.acceptNewHostKeys } : {});
  if (connections.unreachable.size > 0) {
    await connections.close();
    throw unreachableError(connections.unreachable, inventory.hosts.length);
  }
  const runtimes = new Map<string, Map<string, ResolvedRuntime>>();
  const runtimeAt = (version: string, node: NodeRef): ResolvedRuntime | undefined => {
    let byNode = runtimes.get(version);
    if (!byNode) {
      const at = version === inventory.apim.version ? rendered : renderInventory({ ...inventory, apim: { ...inventory.apim, version } }, { catalog });
      runtimes.set(version, (byNode = new Map(at.map((r) => [nodeKey(r.node), r.runtime]))));
    }
    return byNode.get(nodeKey(node));
  };
  return { inventory, catalog, rendered, desired, contents, connections, transports: connections.transports, inputs, runtimeAt };
}

/** Fresh facts for the given hosts, with preflight: stops before any change when a host is not fit. */
export async function readState(ctx: RollingContext, hosts: readonly DesiredHost[], opts: { preflight: boolean }): Promise<Map<HostName, HostState>> {
  const state = await gatherState(hosts, ctx.transports);
  if (opts.preflight) {
    const problems = preflightProblems(hosts, state);
    if (problems.length > 0) throw preflightError(problems);
  }
  return state;
}
