import type { HealthCheck, HealthPolicy } from '../model/health.js';
import type { HostName, NodeRef, RoleName } from '../model/inventory.js';
import { PLAN_FORMAT, type Plan, type Step } from '../model/plan.js';
import { StepChain } from './step-builder.js';

/** One node's move from the release it runs to another: the whole of its time out of service. */
export interface NodeSwitch {
  readonly node: NodeRef;
  /** The `current` link. */
  readonly link: string;
  /** `<role dir>/previous`: the release to go back to (what `apim-deploy rollback` uses). */
  readonly previousLink: string;
  /** Release dir `current` points at now (null: none yet). */
  readonly from: string | null;
  readonly to: string;
  readonly fromVersion: string | null;
  readonly toVersion: string;
  /** What `previous` pointed at before this switch; put back when the switch is rolled back. */
  readonly previousBefore: string | null;
  /** How to stop what runs now (the old release's own stop); null when it is not running. */
  readonly stop: { readonly argv: readonly string[]; readonly env: Readonly<Record<string, string>>; readonly pidFile?: string; readonly graceMs: number } | null;
  /** One-time setup the target release still needs while stopped (key manager profile). */
  readonly setup: readonly { readonly name: string; readonly argv: readonly string[]; readonly marker: string }[];
  readonly start: { readonly argv: readonly string[]; readonly env: Readonly<Record<string, string>>; readonly pidFile?: string };
  readonly gate: { readonly checks: readonly HealthCheck[]; readonly policy: HealthPolicy; readonly logFile?: string };
}

/** A load balancer host whose config changes when nodes leave or rejoin it. */
export interface BalancerChange {
  readonly host: HostName;
  readonly path: string;
  readonly mode: string;
  readonly owner: string;
  /** The config to upload (drained or restored) and what the host holds now. */
  readonly sha256: string;
  readonly expectSha256: string | null;
  readonly reload: readonly string[];
  /** The nodes leaving (drain) or rejoining (undrain), as this balancer reaches them. */
  readonly nodes: readonly { readonly node: NodeRef; readonly address: string; readonly ports: readonly number[] }[];
}

export interface PlanMeta {
  readonly inventory: string;
  readonly apimVersion: string;
  readonly now: string;
}

export function singleWavePlan(meta: PlanMeta, label: string, steps: readonly Step[]): Plan {
  return {
    format: PLAN_FORMAT, inventory: meta.inventory, apimVersion: meta.apimVersion, createdAt: meta.now, factsFingerprint: {},
    waves: steps.length > 0 ? [{ label, steps }] : [], unchanged: [],
  };
}

/**
 * Take nodes out of (or put them back into) the load balancers: upload the re-rendered config, reload nginx,
 * and on the way out wait for in-flight connections to each node to end.
 */
export function balancerSteps(changes: readonly BalancerChange[], undrain: boolean): Step[] {
  const steps: Step[] = [];
  for (const c of changes) {
    const chain = new StepChain(c.host, undefined);
    const who = c.nodes.map((n) => n.node.host).join(', ');
    if (c.sha256 !== c.expectSha256) {
      chain.add({ kind: 'upload-file', key: c.path, path: c.path, mode: c.mode, owner: c.owner, sha256: c.sha256, expectSha256: c.expectSha256,
        secret: false, reason: undrain ? `${who} back in service` : `${who} marked down` });
      chain.add({ kind: 'reload-component', key: 'load-balancer', component: 'load-balancer', argv: c.reload, reason: 'config changed: reload' });
    }
    for (const n of c.nodes) {
      chain.add({ kind: 'drain', key: `${n.node.host}-${n.node.role}`, component: n.node.role as RoleName, via: c.host, undrain,
        ...(undrain ? {} : { address: n.address, ports: n.ports }), reason: undrain ? `${n.node.host} healthy again` : `${n.node.host} about to stop` });
    }
    steps.push(...chain.steps);
  }
  return steps;
}

/**
 * Each node's window, nodes in parallel: remember the release it leaves, stop it, finish setup, point
 * `current` at the target, start, and gate on health.
 */
export function switchSteps(switches: readonly NodeSwitch[], opts: { rememberPrevious: boolean }): Step[] {
  const steps: Step[] = [];
  for (const s of switches) {
    const chain = new StepChain(s.node.host, s.node);
    const role = s.node.role;
    const toWhat = `${s.fromVersion ?? 'none'} → ${s.toVersion}`;
    if (opts.rememberPrevious && s.from && s.from !== s.to) {
      chain.add({ kind: 'link', key: s.previousLink, path: s.previousLink, target: s.from, reason: 'remember the release to roll back to' });
    }
    if (s.stop) chain.add({ kind: 'stop-component', key: role, component: role, argv: s.stop.argv, env: s.stop.env, graceMs: s.stop.graceMs,
      ...(s.stop.pidFile ? { pidFile: s.stop.pidFile } : {}), reason: `switch ${toWhat}` });
    for (const setup of s.setup) chain.add({ kind: 'run-once', key: `setup-${setup.name}`, name: setup.name, argv: setup.argv, marker: setup.marker, reason: 'not done for this release' });
    chain.add({ kind: 'link', key: s.link, path: s.link, target: s.to, reason: `switch ${toWhat}` });
    chain.add({ kind: 'start-component', key: role, component: role, argv: s.start.argv, env: s.start.env,
      ...(s.start.pidFile ? { pidFile: s.start.pidFile } : {}), reason: `run ${s.toVersion}` });
    chain.add({ kind: 'wait-healthy', key: role, component: role, checks: s.gate.checks, policy: s.gate.policy,
      ...(s.gate.logFile ? { logFile: s.gate.logFile } : {}), reason: `gate ${s.toVersion} before the node rejoins` });
    steps.push(...chain.steps);
  }
  return steps;
}

/** The switch back after a failed gate: stop what started (with its own stop), link the old release, start it, gate. */
export function reverseSwitch(s: NodeSwitch, stopStarted: NonNullable<NodeSwitch['stop']>, oldRuntime: Pick<NodeSwitch, 'start' | 'gate'>): NodeSwitch {
  if (!s.from) throw new Error(`${s.node.host}/${s.node.role}: no earlier release to roll back to`);
  return {
    ...s, from: s.to, to: s.from, fromVersion: s.toVersion, toVersion: s.fromVersion ?? 'previous', previousBefore: s.previousBefore,
    stop: stopStarted, setup: [], start: oldRuntime.start, gate: oldRuntime.gate,
  };
}

/** After a rollback, `previous` goes back to what it named before the failed switch. */
export function restorePreviousSteps(switches: readonly NodeSwitch[]): Step[] {
  return switches.flatMap((s) => {
    if (!s.previousBefore) return [];
    const chain = new StepChain(s.node.host, s.node);
    chain.add({ kind: 'link', key: s.previousLink, path: s.previousLink, target: s.previousBefore, reason: 'keep the older release as the rollback target' });
    return chain.steps;
  });
}
