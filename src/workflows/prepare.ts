import { RemoteError } from '../errors.js';
import { loadInventory } from '../inventory/load.js';
import type { HostName, Inventory } from '../model/inventory.js';
import type { FileContent, Plan } from '../model/plan.js';
import { buildPlan } from '../planner/build-plan.js';
import { desiredState, type DesiredHost } from '../planner/desired-state.js';
import type { HostState } from '../planner/inputs.js';
import { renderInventory, type RenderedNode } from '../render/render-inventory.js';
import type { ConnectionCounter } from '../transport/open.js';
import { connect, type Connections } from './connect.js';
import { distributionFiles, packDefaults } from './distribution-files.js';
import { gatherState } from './gather-state.js';
import { localArtifacts } from './local-artifacts.js';
import { preflightProblems } from './preflight.js';

export interface PrepareOptions {
  readonly inventory: string;
  readonly envFile?: string;
  readonly acceptNewHostKeys?: boolean;
  readonly counter?: ConnectionCounter;
  /** Overrides every role's health deadline. */
  readonly healthTimeoutMs?: number;
}

/** Everything a run needs, computed the same way for provision, dry run and status. */
export interface Prepared {
  readonly inventory: Inventory;
  readonly rendered: readonly RenderedNode[];
  readonly desired: readonly DesiredHost[];
  readonly state: ReadonlyMap<HostName, HostState>;
  readonly plan: Plan;
  /** Rendered files and distribution files by sha256: what upload steps send. */
  readonly contents: Map<string, FileContent>;
  readonly connections: Connections;
}

/**
 * load → render → hash artifacts → connect (one connection per host) → read facts → preflight → plan.
 * Touches no host except to read. Throws before any change when a host is unreachable or fails preflight.
 */
export async function prepareDeployment(opts: PrepareOptions): Promise<Prepared> {
  const inventory = await loadInventory(opts.inventory, opts.envFile ? { envFile: opts.envFile } : {});
  const rendered = renderInventory(inventory);
  const artifacts = await localArtifacts(inventory, rendered);
  const [distFiles, defaults] = await Promise.all([distributionFiles(rendered, artifacts), packDefaults(rendered, artifacts)]);
  const contents = new Map<string, FileContent>();
  for (const r of rendered) for (const f of r.files) contents.set(f.sha256, { sha256: f.sha256, content: f.content, secret: f.secret });
  for (const f of distFiles.values()) contents.set(f.sha256, f);
  const baseInputs = { inventory, rendered, artifacts, distributionFiles: distFiles, packDefaults: defaults, now: new Date().toISOString(),
    ...(opts.healthTimeoutMs ? { healthTimeoutMs: opts.healthTimeoutMs } : {}) };
  const desired = desiredState({ ...baseInputs, state: new Map() });

  const connections = await connect(inventory.hosts, {
    ...(opts.acceptNewHostKeys !== undefined ? { acceptNewHostKeys: opts.acceptNewHostKeys } : {}),
    ...(opts.counter ? { counter: opts.counter } : {}),
  });
  try {
    if (connections.unreachable.size > 0) {
      const lines = [...connections.unreachable.values()].map((e) => `  ${e.message}${e.hint ? `\n    ${e.hint}` : ''}`);
      throw new RemoteError(
        [...connections.unreachable.keys()].join(', '),
        `cannot reach ${connections.unreachable.size} of ${inventory.hosts.length} host(s); nothing was changed`,
        lines.join('\n'),
        'fix the connection problems above, then re-run',
      );
    }
    const state = await gatherState(desired, connections.transports);
    const problems = preflightProblems(desired, state);
    if (problems.length > 0) {
      throw new RemoteError('preflight', `${problems.length} problem(s) found before any change; nothing was changed`, problems.map((p) => `  ${p}`).join('\n'),
        'fix them on the hosts (or in the inventory), then re-run');
    }
    const plan = buildPlan({ ...baseInputs, state }, desired);
    return { inventory, rendered, desired, state, plan, contents, connections };
  } catch (err) {
    await connections.close();
    throw err;
  }
}
