import { defaultRoleCatalog, type RoleCatalog } from '../catalog/roles.js';
import type { ResolvedRuntime } from '../catalog/runtime.js';
import { RemoteError } from '../errors.js';
import type { HostName, Inventory, NodeRef } from '../model/inventory.js';
import type { FileContent } from '../model/plan.js';
import { nodeKey } from '../planner/build-plan.js';
import { desiredState, type DesiredHost } from '../planner/desired-state.js';
import type { HostState, PlanInputs } from '../planner/inputs.js';
import { renderInventory, type RenderedNode } from '../render/render-inventory.js';
import type { Transport } from '../transport/transport.js';
import { connect, type Connections } from './connect.js';
import { distributionFiles, packDefaults } from './distribution-files.js';
import { gatherState } from './gather-state.js';
import { localArtifacts } from './local-artifacts.js';
import { preflightProblems } from './preflight.js';

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
  const catalog = defaultRoleCatalog();
  const rendered = renderInventory(inventory, { catalog });
  const artifacts = opts.withArtifacts ? await localArtifacts(inventory, rendered) : {};
  const [distFiles, defaults] = opts.withArtifacts
    ? await Promise.all([distributionFiles(rendered, artifacts), packDefaults(rendered, artifacts)])
    : [new Map<string, FileContent>(), new Map<string, string>()];
  const contents = new Map<string, FileContent>();
  for (const r of rendered) for (const f of r.files) contents.set(f.sha256, { sha256: f.sha256, content: f.content, secret: f.secret });
  for (const f of distFiles.values()) contents.set(f.sha256, f);
  const inputs = { inventory, catalog, rendered, artifacts, distributionFiles: distFiles, packDefaults: defaults, now: new Date().toISOString() };
  const desired = opts.withArtifacts ? desiredState({ ...inputs, state: new Map() }) : [];

  const connections = await connect(inventory.hosts, opts.acceptNewHostKeys !== undefined ? { acceptNewHostKeys: opts.acceptNewHostKeys } : {});
  if (connections.unreachable.size > 0) {
    await connections.close();
    const lines = [...connections.unreachable.values()].map((e) => `  ${e.message}`);
    throw new RemoteError([...connections.unreachable.keys()].join(', '), `cannot reach ${connections.unreachable.size} host(s); nothing was changed`,
      lines.join('\n'), 'fix the connection problems above, then re-run');
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
    if (problems.length > 0) {
      throw new RemoteError('preflight', `${problems.length} problem(s) found before any change; nothing was changed`,
        problems.map((p) => `  ${p}`).join('\n'), 'fix them on the hosts (or in the inventory), then re-run');
    }
  }
  return state;
}
