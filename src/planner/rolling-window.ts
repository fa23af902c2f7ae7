import type { HealthCheck, HealthPolicy } from '../model/health.js';
import type { HostName, NodeRef, RoleName } from '../model/inventory.js';
import type { Step } from '../model/plan.js';
import { StepChain } from './step-builder.js';
import type { StartSecret } from '../model/vault.js';

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
  readonly setup: readonly { readonly name: string; readonly argv: readonly string[]; readonly marker: string; readonly stdinKey?: string }[];
  readonly start: {
    readonly argv: readonly string[];
    readonly env: Readonly<Record<string, string>>;
    readonly pidFile?: string;
    readonly secretFile?: StartSecret;
  };
  readonly gate: { readonly checks: readonly HealthCheck[]; readonly policy: HealthPolicy; readonly logFile?: string };
}

/** A node as one balancer reaches it: its address, the ports it proxies to, its servers there. */
export interface BalancedNode {
  readonly node: NodeRef;
  readonly address: string;
  readonly ports: readonly number[];
  /** `<upstream>/<address>:<port>`, one per upstream the node serves in. */
  readonly servers: readonly { readonly id: string; readonly address: string; readonly port: number }[];
}

/** A load balancer host whose servers change when nodes leave or rejoin it (roles/load-balancer `balancer`). */
export interface BalancerChange {
  readonly host: HostName;
  /** The nodes leaving (drain) or rejoining (undrain). */
  readonly nodes: readonly BalancedNode[];
  /** `drain: reload`: the config to upload (drained or restored), what the host holds now, and the reload. */
  readonly config: {
    readonly path: string;
    readonly mode: string;
    readonly owner: string;
    readonly sha256: string;
    readonly expectSha256: string | null;
    readonly reload: readonly string[];
  } | null;
  /** `drain: runtime`: the balancer's set and state commands (no reload), and its count of requests in flight. */
  readonly runtime: { readonly set: readonly string[]; readonly state: readonly string[]; readonly sessions?: readonly string[] } | null;
}

/** How long the balancer gets to see a rejoining node up (HAProxy needs `rise` checks: about 2 s). */
export const ROUTABLE_TIMEOUT_MS = 60_000;

/**
 * Take nodes out of (or put them back into) the load balancers. Out: mark their servers down (the config uploaded
 * and reloaded, or `maint` through the runtime API), then wait for their in-flight connections to end. Back: only
 * once the balancer itself would route to the node (its own health check, or a connection from the balancer host),
 * then the config restored and reloaded, or `ready`. With a runtime API each node is its own chain, so one node
 * the balancer cannot reach does not keep the others out.
 */
export function balancerSteps(changes: readonly BalancerChange[], undrain: boolean): Step[] {
  const steps: Step[] = [];
  for (const c of changes) {
    if (c.runtime) {
      for (const n of c.nodes) steps.push(...runtimeChain(c.host, c.runtime, n, undrain));
      continue;
    }
    const chain = new StepChain(c.host, undefined);
    const who = c.nodes.map((n) => n.node.host).join(', ');
    if (undrain) for (const n of c.nodes) chain.add(routable(n, null));
    if (c.config && c.config.sha256 !== c.config.expectSha256) {
      const f = c.config;
      chain.add({ kind: 'upload-file', key: f.path, path: f.path, mode: f.mode, owner: f.owner, sha256: f.sha256, expectSha256: f.expectSha256,
        secret: false, reason: undrain ? `${who} back in service` : `${who} marked down` });
      chain.add({ kind: 'reload-component', key: 'load-balancer', component: 'load-balancer', argv: f.reload, reason: 'config changed: reload' });
    }
    for (const n of c.nodes) chain.add(drainMark(c.host, n, undrain));
    steps.push(...chain.steps);
  }
  return steps;
}

function runtimeChain(host: HostName, rt: NonNullable<BalancerChange['runtime']>, n: BalancedNode, undrain: boolean): Step[] {
  const chain = new StepChain(host, n.node);
  const servers = n.servers.map((s) => s.id);
  const set = (to: 'maint' | 'probe' | 'ready', reason: string) => ({ kind: 'balancer-set' as const, key: `${to}-${n.node.host}-${n.node.role}`, to, argv: rt.set, servers, reason });
  if (undrain) {
    chain.add(set('probe', `let ${host} health-check ${n.node.host} before it gets traffic`));
    chain.add(routable(n, rt.state));
    chain.add(set('ready', `${n.node.host} back in service`));
  } else {
    chain.add(set('maint', `${n.node.host} about to stop`));
  }
  const mark = drainMark(host, n, undrain);
  chain.add(!undrain && rt.sessions ? { ...mark, sessions: { argv: rt.sessions, servers } } : mark);
  return chain.steps;
}

export const routable = (n: BalancedNode, state: readonly string[] | null) => ({
  kind: 'wait-routable' as const, key: `${n.node.host}-${n.node.role}`, servers: n.servers, state, timeoutMs: ROUTABLE_TIMEOUT_MS,
  reason: `${n.node.host} passed its gate; the balancer must reach it too`,
});

export function drainMark(host: HostName, n: BalancedNode, undrain: boolean) {
  return {
    kind: 'drain' as const, key: `${n.node.host}-${n.node.role}`, component: n.node.role as RoleName, via: host, undrain,
    ...(undrain ? {} : { address: n.address, ports: n.ports }), reason: undrain ? `${n.node.host} healthy again` : `${n.node.host} about to stop`,
  };
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
    for (const setup of s.setup) chain.add({ kind: 'run-once', key: `setup-${setup.name}`, name: setup.name, argv: setup.argv, marker: setup.marker, ...(setup.stdinKey ? { stdinKey: setup.stdinKey } : {}), reason: 'not done for this release' });
    chain.add({ kind: 'link', key: s.link, path: s.link, target: s.to, reason: `switch ${toWhat}` });
    chain.add({ kind: 'start-component', key: role, component: role, argv: s.start.argv, env: s.start.env,
      ...(s.start.pidFile ? { pidFile: s.start.pidFile } : {}), ...(s.start.secretFile ? { secretFile: s.start.secretFile } : {}), reason: `run ${s.toVersion}` });
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
