import type { HostName } from '../../model/inventory.js';
import type { Step } from '../../model/plan.js';
import { drainMark, routable, type BalancedNode, type BalancerChange } from '../rolling-window.js';
import { StepChain } from '../step-builder.js';
import { liftWindow, windowHeld, type WindowBalancer } from './write-window.js';

/** One balancer's side of a switch (blue → green, or back with `--rollback`). */
export interface SwitchBalancer {
  readonly host: HostName;
  /** The nodes clients move to, as the new config reaches them, and those they leave, as the config now reaches them. */
  readonly to: readonly BalancedNode[];
  readonly from: readonly BalancedNode[];
  /** The config whose client upstreams name the `to` side, and what the host holds now. */
  readonly config: NonNullable<BalancerChange['config']>;
  /** The read-only window rule to lift in the same reload (the switch to green), or null. */
  readonly window: WindowBalancer | null;
  /** `drain: runtime` (HAProxy): its set, state and sessions commands; the config is then written without a reload. */
  readonly runtime: NonNullable<BalancerChange['runtime']> | null;
  /** A balancer that switches by a flag file (nginx, role.yaml `switchFlag`), or null. */
  readonly flag: SwitchFlag | null;
}

/** The flag file whose presence sends a balancer's clients to green: as the side clients move to wants it, and now. */
export interface SwitchFlag {
  readonly path: string;
  /** The rendered flag (the side is green), or null (blue: absent). */
  readonly want: { readonly sha256: string; readonly mode: string; readonly owner: string } | null;
  /** sha256 on the host now; null: absent. */
  readonly current: string | null;
}

/** The database host's record of the switch, beside the other phases' markers. */
export interface SwitchMarker {
  readonly host: HostName;
  readonly marker: string;
  readonly side: 'green' | 'blue';
  /** This plan writes the marker (green) or removes it (blue): the last datacenter to green, the first back to blue. */
  readonly recordHere: boolean;
}

/**
 * The switch as steps, each balancer its own chain, all in parallel: by a switch flag (nginx, flagSwitch), by the
 * runtime API (HAProxy, runtimeSwitch), or else by a reload: wait until the balancer host reaches every node of the
 * side clients move to; then the config naming that side uploaded and the read-only rule removed, and one reload: new
 * connections go to the new side, the old workers finish what they hold; then wait for the balancer's connections to
 * the side left to end (rolling upgrades' drain). A balancer already on that side plans
 * nothing, so a re-run after a switch is a no-op and one after Ctrl-C finishes the balancers still on the old side.
 * Last, the switch is recorded (or its record removed) on the database host.
 * `unsettled`: the controller has not recorded this side yet (a run stopped between a balancer's upload and its
 * reload leaves the file on the new side and nginx on the old): a balancer whose file is on the side already is
 * reloaded anyway, without a new upload.
 */
export function clientSwitchSteps(balancers: readonly SwitchBalancer[], marker: SwitchMarker, unsettled: boolean): Step[] {
  const steps: Step[] = [];
  const tails: string[] = [];
  const side = marker.side;
  for (const b of balancers) {
    const lift = b.window && windowHeld(b.window) ? b.window : null;
    const upload = b.config.sha256 !== b.config.expectSha256;
    const chain = new StepChain(b.host, undefined);
    if (b.flag) {
      // Settled by the flag alone: what the host holds is the whole truth, nothing to finish after Ctrl-C.
      flagSwitch(chain, b, b.flag, upload);
      steps.push(...chain.steps);
      tails.push(...chain.tail);
      continue;
    }
    if (!upload && !lift && !unsettled) continue;
    if (b.runtime) {
      // On the side already and recorded, with the window still held (a run stopped before lifting it): lift it alone.
      if (upload || unsettled) runtimeSwitch(chain, b, b.runtime, upload, lift);
      else if (lift) liftWindow(chain, lift, 'lifts the read-only window: green takes design-time writes');
      steps.push(...chain.steps);
      tails.push(...chain.tail);
      continue;
    }
    for (const n of b.to) chain.add({ ...routable(n, null), reason: `${n.node.host} must be reachable from ${b.host} before clients move to it` });
    if (lift) chain.add({ kind: 'remove-file', key: lift.rule.dest, path: lift.rule.dest, reason: 'lifts the read-only window in the switch\'s reload: green takes design-time writes' });
    if (upload) {
      const f = b.config;
      chain.add({ kind: 'upload-file', key: f.path, path: f.path, mode: f.mode, owner: f.owner, sha256: f.sha256, expectSha256: f.expectSha256,
        secret: false, reason: `client upstreams: ${b.from.map((n) => n.node.host).join(', ')} → ${b.to.map((n) => n.node.host).join(', ')} (${side})` });
    }
    chain.add({ kind: 'reload-component', key: 'load-balancer', component: 'load-balancer', argv: lift && !upload ? lift.rule.reload : b.config.reload,
      reason: 'one reload: new connections go to the new side, old workers finish what they hold' });
    for (const n of b.from) chain.add({ ...drainMark(b.host, n, false), reason: `clients left ${n.node.host}: wait for what is in flight to it` });
    steps.push(...chain.steps);
    tails.push(...chain.tail);
  }
  if (!marker.recordHere) return steps;
  const record: Step = side === 'green'
    ? { id: `${marker.host}/run-once/migrate-switch`, host: marker.host, after: tails, certainty: 'certain', reason: 'records that clients are on green',
      kind: 'run-once', name: 'record the switch to green', argv: ['true'], marker: marker.marker }
    : { id: `${marker.host}/remove-file/${marker.marker}`, host: marker.host, after: tails, certainty: 'certain', reason: 'clients are back on blue: the switch is undone',
      kind: 'remove-file', path: marker.marker };
  return [...steps, record];
}

/**
 * Through the runtime API, no reload and no connection closed: each node of the new side health-checked by the
 * balancer (`probe`), put in once it is up, then every node left set `maint`; only then, with no new request reaching
 * blue, the read-only window lifted (its runtime command); then each node left waited for until the balancer counts
 * nothing in flight to it. The config naming the new side is written last, without a reload, so a later reload or
 * restart keeps the side the runtime holds.
 */
function runtimeSwitch(chain: StepChain, b: SwitchBalancer, rt: NonNullable<BalancerChange['runtime']>, upload: boolean, lift: WindowBalancer | null): void {
  const set = (n: BalancedNode, to: 'maint' | 'probe' | 'ready', reason: string) =>
    chain.add({ kind: 'balancer-set', key: `${to}-${n.node.host}-${n.node.role}`, to, argv: rt.set, servers: n.servers.map((x) => x.id), reason });
  for (const n of b.to) {
    set(n, 'probe', `let ${b.host} health-check ${n.node.host} before clients move to it`);
    chain.add(routable(n, rt.state));
    set(n, 'ready', `clients move to ${n.node.host}`);
  }
  for (const n of b.from) set(n, 'maint', `clients leave ${n.node.host}`);
  if (lift) liftWindow(chain, lift, 'lifts the read-only window: green takes design-time writes');
  for (const n of b.from) {
    const mark = drainMark(b.host, n, false);
    chain.add(rt.sessions ? { ...mark, sessions: { argv: rt.sessions, servers: n.servers.map((x) => x.id) } } : mark);
  }
  if (upload) {
    const f = b.config;
    chain.add({ kind: 'upload-file', key: f.path, path: f.path, mode: f.mode, owner: f.owner, sha256: f.sha256, expectSha256: f.expectSha256,
      secret: false, reason: 'the config names the side the runtime now serves (no reload: a later one keeps it)' });
  }
}

/** The side the flag says differs from the side wanted (its content aside). */
const flagMoves = (f: SwitchFlag): boolean => (f.want !== null) !== (f.current !== null);

/** Whether the switch moves this balancer's clients: its flag, or else its config, is not on the new side yet. */
export const balancerMoves = (b: SwitchBalancer): boolean => (b.flag ? flagMoves(b.flag) : b.config.sha256 !== b.config.expectSha256);

/**
 * By the switch flag, no reload and no connection closed: a config that does not pick a side by the flag yet is
 * uploaded and reloaded first (a balancer provisioned before this was rendered); wait until the balancer host reaches
 * every node of the new side; write or remove the flag, so every new request goes to the new side; lift the
 * read-only window (its rule tests for its own file per request, so removing it is enough); wait for the balancer's
 * connections to the side left to end.
 */
function flagSwitch(chain: StepChain, b: SwitchBalancer, flag: SwitchFlag, upload: boolean): void {
  const f = b.config;
  if (upload) {
    chain.add({ kind: 'upload-file', key: f.path, path: f.path, mode: f.mode, owner: f.owner, sha256: f.sha256, expectSha256: f.expectSha256,
      secret: false, reason: 'the config that picks a side by the switch flag' });
    chain.add({ kind: 'reload-component', key: 'load-balancer', component: 'load-balancer', argv: f.reload, reason: 'applies the config before the switch' });
  }
  const moves = flagMoves(flag);
  if (moves) for (const n of b.to) chain.add({ ...routable(n, null), reason: `${n.node.host} must be reachable from ${b.host} before clients move to it` });
  const side = flag.want ? 'green' : 'blue';
  const route = `${b.from.map((n) => n.node.host).join(', ')} → ${b.to.map((n) => n.node.host).join(', ')} (${side})`;
  if (flag.want && flag.current !== flag.want.sha256) {
    chain.add({ kind: 'upload-file', key: flag.path, path: flag.path, mode: flag.want.mode, owner: flag.want.owner, sha256: flag.want.sha256,
      expectSha256: flag.current, secret: false, reason: `client upstreams: ${route}; nginx reads the flag per request, no reload` });
  } else if (!flag.want && flag.current !== null) {
    chain.add({ kind: 'remove-file', key: flag.path, path: flag.path, reason: `client upstreams: ${route}; nginx reads the flag per request, no reload` });
  }
  if (b.window) liftWindow(chain, b.window, 'lifts the read-only window: green takes design-time writes');
  if (moves) for (const n of b.from) chain.add({ ...drainMark(b.host, n, false), reason: `clients left ${n.node.host}: wait for what is in flight to it` });
}
