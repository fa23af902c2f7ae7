/**
 * Plan inputs for planner unit tests and the plan goldens: an example inventory rendered for real, stub controller
 * artifacts (the files the inventory names, with fixed hashes: nothing is read from dist/), stub distribution files,
 * and host facts made by hand (fresh, or exactly what the plan wants: converged).
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { defaultRoleCatalog } from '../../../src/catalog/roles.js';
import type { HostFacts } from '../../../src/facts/index.js';
import type { Inventory } from '../../../src/model/inventory.js';
import type { FileContent, Plan, Step } from '../../../src/model/plan.js';
import { desiredState, type DesiredHost } from '../../../src/planner/desired-state.js';
import type { ArtifactKey, HostState, LocalArtifact, PlanInputs } from '../../../src/planner/inputs.js';
import { probePaths } from '../../../src/planner/probe-paths.js';
import { renderInventory, type NodeVaultCipher, type RenderedNode } from '../../../src/render/render-inventory.js';
import { sealWithKey } from '../../../src/secrets/plan-key.js';
import { loadExample } from '../render/examples.js';

/** A fixed plan key, so planned marker names are reproducible. */
export const TEST_SEAL = sealWithKey(Buffer.alloc(32, 7));
const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

/** A controller-side file that is never read: its sha256 is the hash of `content` (by default its name). */
export function fakeArtifact(key: ArtifactKey, fileName: string, content = fileName): LocalArtifact {
  const format = fileName.endsWith('.zip') ? 'zip' : fileName.endsWith('.tar.gz') ? 'tar.gz' : 'file';
  return { key, localPath: `/controller/dist/${fileName}`, fileName, format, sha256: sha(content), size: 1000 };
}

/** Every artifact the inventory names (distributions, JDK, JDBC driver), stubbed under its own file name. */
function inventoryArtifacts(inventory: Inventory): Partial<Record<ArtifactKey, LocalArtifact>> {
  const refs: [ArtifactKey, { readonly path: string } | undefined][] = [
    ...Object.entries(inventory.apim.distributions) as [ArtifactKey, { readonly path: string }][],
    ['jdk', inventory.apim.jdk], ['jdbc-driver', inventory.apim.jdbcDriver],
  ];
  return Object.fromEntries(refs.flatMap(([key, ref]) => (ref ? [[key, fakeArtifact(key, basename(ref.path))]] : [])));
}

/**
 * What each pack ships for the release-relative files the nodes render (`repository/conf/deployment.toml`), as
 * `packDefaults` keys them: a fixed sha256 per `<distribution>:<dest>`, as a real unpacked release would hold.
 */
function shippedDefaults(rendered: readonly RenderedNode[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const r of rendered) for (const f of r.files) {
    if (r.runtime.distribution && !f.dest.startsWith('/')) out.set(`${r.runtime.distribution}:${f.dest}`, sha(`${r.runtime.distribution} ships ${f.dest}`));
  }
  return out;
}

export function freshFacts(): HostFacts {
  return { files: {}, unreadable: [], links: {}, pids: {}, markers: {}, os: null, arch: 'x86_64', disk: null, listening: [] };
}

export interface ExampleInputsOptions {
  readonly artifacts?: Partial<Record<ArtifactKey, LocalArtifact>>;
  /** Give the packs' own copies of rendered release files a hash, as reading real zips would (default: none known). */
  readonly packDefaults?: boolean;
  /** Encrypts secure vault values (nodes with secure_vault on need one). */
  readonly vault?: NodeVaultCipher;
}

/** Inputs for `inventories/<name>.yaml` (its .env.example secrets), every host fresh unless `state` says otherwise. */
export async function exampleInputs(name: string, opts: ExampleInputsOptions = {}): Promise<PlanInputs> {
  return inventoryInputs(await loadExample(name), opts);
}

/** Inputs for a loaded inventory, every host fresh. */
export function inventoryInputs(inventory: Inventory, opts: ExampleInputsOptions = {}): PlanInputs {
  const catalog = defaultRoleCatalog();
  const rendered = renderInventory(inventory, { catalog, ...(opts.vault ? { vault: opts.vault } : {}) });
  const distributionFiles = new Map<string, FileContent>();
  for (const r of rendered) for (const s of r.runtime.setup) {
    if (s.upload) distributionFiles.set(s.upload.pathInDistribution, { sha256: sha(s.upload.pathInDistribution), content: '-- sql', secret: false });
  }
  const state = new Map(inventory.hosts.map((h) => [h.name, { facts: freshFacts(), serviceRunning: {} } satisfies HostState]));
  return {
    inventory, catalog, rendered, artifacts: { ...inventoryArtifacts(inventory), ...opts.artifacts }, distributionFiles,
    packDefaults: opts.packDefaults ? shippedDefaults(rendered) : new Map(), state, seal: TEST_SEAL, now: '2026-01-01T00:00:00.000Z',
  };
}

/** Facts of a host that holds exactly what the plan wants and runs every node (pid 100, 101, ...). */
export function convergedState(d: DesiredHost): HostState {
  const paths = probePaths(d);
  const files: Record<string, string> = {};
  for (const a of d.artifacts) files[a.path] = a.artifact.sha256;
  for (const n of d.nodes) {
    for (const f of n.files) files[f.path] = f.sha256;
    for (const l of n.libs) files[l.path] = l.artifact.sha256;
    // Present files (role.yaml `present`) hold what another command wrote: anything will do.
    for (const p of n.present) files[p.path] = 'c0'.repeat(32);
  }
  const links: Record<string, string> = {};
  if (d.jdk) links[d.jdk.link] = d.jdk.dir;
  for (const n of d.nodes) if (n.release) links[n.release.link] = n.release.dir;
  let pid = 100;
  const pids: HostFacts['pids'] = Object.fromEntries((paths.pidFiles ?? []).map((p) => [p, { state: 'alive', pid: pid++, cmdline: 'java' }]));
  return {
    facts: { ...freshFacts(), files, links, pids, markers: Object.fromEntries((paths.markers ?? []).map((m) => [m, !isPendingMarker(m)])) },
    serviceRunning: Object.fromEntries(d.nodes.filter((n) => n.kind === 'service').map((n) => [n.node.role, true])),
  };
}

/** Converged hosts have every marker but the pending-change ones (those exist only between upload and restart). */
export const isPendingMarker = (path: string): boolean => path.includes('/apim-deploy/pending/');

/** The same inputs with every host converged. */
export function converged(inputs: PlanInputs): PlanInputs {
  return { ...inputs, state: new Map(desiredState(inputs).map((d) => [d.host.name, convergedState(d)])) };
}

export const allSteps = (plan: Plan): Step[] => plan.waves.flatMap((w) => w.steps);
/** Steps that change a host: not a node's health check, nor a balancer's check that it routes to a node. */
export const changingSteps = (plan: Plan): Step[] => allSteps(plan).filter((s) => s.kind !== 'wait-healthy' && s.kind !== 'wait-routable');
/** The balancers' end-of-plan gate, as `balancer: node (its servers there)`, one entry per node waited for. */
export const routableGates = (plan: Plan): string[] => allSteps(plan).flatMap((s) => {
  if (s.kind !== 'wait-routable') return [];
  const perNode = new Map<string, number>();
  for (const x of s.servers) perNode.set(`${x.node!.host}/${x.node!.role}`, (perNode.get(`${x.node!.host}/${x.node!.role}`) ?? 0) + 1);
  return [...perNode].map(([node, n]) => `${s.host}: ${node} (${n})`);
});
export const stepsOf = (plan: Plan, host: string): Step[] => allSteps(plan).filter((s) => s.host === host);
/** `kind key: reason` per step, the readable shape the tests compare. */
export const brief = (steps: readonly Step[]): string[] => steps.map((s) => `${s.id.slice(s.host.length + 1)}: ${s.reason}`);
