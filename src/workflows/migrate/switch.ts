import { UsageError } from '../../errors.js';
import { clientsOnGreen, trafficOf, type HostName, type Inventory, type NodeRef } from '../../model/inventory.js';
import { migrationDir } from '../../planner/migration/database-phases.js';
import { balancerMoves, clientSwitchSteps, type SwitchBalancer } from '../../planner/migration/switch.js';
import type { WindowBalancer } from '../../planner/migration/write-window.js';
import { planMeta, singleWavePlan } from '../../planner/plan-of.js';
import type { BalancedNode } from '../../planner/rolling-window.js';
import { renderNode, type RenderedNode } from '../../render/render-inventory.js';
import { remoteSha256 } from '../../steps/remote-facts.js';
import { buildNodeContext } from '../../topology/context.js';
import { balancerUpstreams } from '../../topology/load-balancer.js';
import { planRunner, runExitCode, type ExecuteOptions } from '../run/execute.js';
import type { RunContext } from '../run/open-run.js';
import { reach } from '../../planner/balancer-gate.js';
import { SWITCH_MARKER } from './facts.js';
import type { PhaseOutcome } from './provision-green.js';
import { readRecord, recordClients } from './record.js';
import { readWindowFacts } from './write-window.js';

export type Side = 'green' | 'blue';

export interface SwitchInput {
  readonly ctx: RunContext;
  readonly opts: ExecuteOptions;
  /** The migration: its id (the database host's marker) and the controller directory of its record. */
  readonly id: string;
  readonly dir: string;
  readonly databaseHost: HostName;
  readonly side: Side;
  readonly notice: (text: string) => void;
}

/** The inventory with the clients of `datacenter`'s balancers (null: every balancer) on `side`, the others as they are. */
function onSide(inv: Inventory, datacenter: string | null, side: Side): Inventory {
  const { traffic, ...rest } = inv;
  const all = inv.datacenters.map((d) => d.name);
  const green = new Set(datacenter === null ? (side === 'green' ? all : []) : all.filter((d) => clientsOnGreen(traffic, d)));
  if (datacenter !== null) {
    if (side === 'green') green.add(datacenter);
    else green.delete(datacenter);
  }
  const next = all.length === 0 ? (side === 'green' ? 'green' : undefined) : trafficOf(all, green);
  return next ? { ...rest, traffic: next } : rest;
}

/**
 * The order balancers move in: every balancer at once in a single-datacenter estate (null); datacenter by datacenter
 * in a multi-datacenter one, in file order to green (the central one first) and back in reverse, so each datacenter's
 * balancers serve one side wholly while the next one moves.
 */
function datacenterOrder(inv: Inventory, side: Side): (string | null)[] {
  const names = inv.datacenters.map((d) => d.name);
  if (names.length === 0) return [null];
  return side === 'green' ? names : [...names].reverse();
}

/** Every node a balancer's client upstreams send to (servers not `down`), as it reaches each. */
function reached(lb: RenderedNode): BalancedNode[] {
  const ctx = lb.context.loadBalancer!;
  const nodes = new Map<string, NodeRef>();
  for (const u of balancerUpstreams(ctx)) for (const s of u.servers.filter((x) => !x.down)) nodes.set(`${s.node.host}/${s.node.role}`, s.node);
  return [...nodes.values()].flatMap((node) => {
    const r = reach(ctx, node);
    return r ? [{ node, ...r }] : [];
  });
}

/**
 * Moves every balancer's clients to `side` (the switch: green; `--rollback`: blue) with drain, then records it in the
 * controller's record. Each balancer is rendered as it is on either side; nginx, whose config holds both sides while
 * a migration runs, moves when its switch flag is written or removed, and the read-only window is lifted by removing
 * its file; HAProxy, whose backends list both sides, switches through its runtime API; neither reloads
 * (src/planner/migration/switch.ts).
 */
export async function switchClients(i: SwitchInput): Promise<PhaseOutcome> {
  const { ctx, side } = i;
  const lbs = ctx.rendered.filter((r) => r.role === 'load-balancer' && r.context.loadBalancer && r.runtime.balancer);
  if (lbs.length === 0) throw new UsageError(`${ctx.inventory.file} has no load balancer: the switch moves clients on the balancers, so move them to ${side} by hand`);
  const window = await readWindowFacts(ctx, i.opts.signal);
  for (const [sha, c] of window.contents) ctx.contents.set(sha, c);
  const order = datacenterOrder(ctx.inventory, side);
  const started = Date.now();
  let inventory = ctx.inventory;
  for (const [n, dc] of order.entries()) {
    const here = lbs.filter((lb) => dc === null || lb.context.datacenter === dc);
    const target = onSide(inventory, dc, side);
    const balancers = await switchBalancers(ctx, i, window.balancers, here, inventory, target);
    // The database host's marker says the whole switch stands: written with the last datacenter, removed with the first.
    const recordHere = side === 'green' ? n === order.length - 1 : n === 0;
    const settled = clientsOnGreen(inventory.traffic, dc) === (side === 'green');
    const steps = clientSwitchSteps(balancers, { host: i.databaseHost, marker: `${migrationDir(i.id)}/${SWITCH_MARKER}`, side, recordHere }, !settled);
    const moving = balancers.filter(balancerMoves).map((b) => b.host);
    const where = dc === null ? '' : ` in ${dc}`;
    i.notice(`switch to ${side}${where}: ${moving.length > 0 ? `${moving.join(', ')} move their clients` : `every balancer sends clients to ${side} already`}`);
    const plan = singleWavePlan(planMeta(ctx.inventory.file, ctx.inventory.apim.version), `migrate: switch to ${side}${where}`, steps);
    const run = await planRunner(ctx, i.opts)(plan, true);
    if (!run.ok) {
      const others = dc === null ? '' : `; datacenters before ${dc} serve from ${side}, ${dc} and those after it as they were`;
      return { ok: false, exitCode: run.aborted ? 130 : runExitCode(run),
        message: `the switch to ${side}${where} did not finish; each balancer serves one side wholly (status shows which)${others}, blue keeps running; re-run to complete it` };
    }
    inventory = target;
    const record = readRecord(i.dir);
    if (record) recordClients(i.dir, record, target.traffic, side);
    if (dc !== null) i.notice(`switch to ${side}: clients on ${side} in ${dc}`);
  }
  i.notice(`switch to ${side}: done in ${Date.now() - started} ms; clients on ${side} at every balancer`);
  return { ok: true, exitCode: 0 };
}

/** Each balancer of `lbs` as the switch sees it: rendered on either side, the nodes clients leave and reach, its config. */
async function switchBalancers(ctx: RunContext, i: SwitchInput, windows: readonly WindowBalancer[], lbs: readonly RenderedNode[], before: Inventory,
  after: Inventory): Promise<SwitchBalancer[]> {
  const balancers: SwitchBalancer[] = [];
  for (const lb of lbs) {
    const t = ctx.transports.get(lb.host);
    if (!t) throw new UsageError(`${lb.host}: not connected: every balancer moves to ${i.side} in the switch`);
    const spec = lb.runtime.balancer!;
    const render = (inv: Inventory) => renderNode(ctx.catalog[lb.role], buildNodeContext(inv, ctx.catalog, lb.node));
    const target = render(after);
    const left = render(onSide(before, lb.context.datacenter, i.side === 'green' ? 'blue' : 'green'));
    const file = target.files[0];
    if (!file || (!target.runtime.reload && spec.drain !== 'runtime')) throw new UsageError(`${lb.host}: its role renders no config to reload: cannot switch it`);
    ctx.contents.set(file.sha256, { sha256: file.sha256, content: file.content, secret: file.secret });
    const flagPath = spec.switchFlag;
    const flagFile = flagPath ? target.files.find((f) => f.path === flagPath) : undefined;
    if (flagFile) ctx.contents.set(flagFile.sha256, { sha256: flagFile.sha256, content: flagFile.content, secret: flagFile.secret });
    const to = reached(target);
    const from = reached(left);
    const key = (n: BalancedNode) => `${n.node.host}/${n.node.role}`;
    balancers.push({
      host: lb.host,
      to: to.filter((n) => !from.some((f) => key(f) === key(n))),
      from: from.filter((n) => !to.some((f) => key(f) === key(n))),
      config: { path: file.path, mode: file.mode, owner: `${file.owner}:${file.group}`, sha256: file.sha256, expectSha256: await remoteSha256(t, file.path, i.opts.signal), reload: target.runtime.reload ?? [] },
      window: windows.find((w) => w.host === lb.host) ?? null,
      flag: flagPath ? {
        path: flagPath,
        want: flagFile ? { sha256: flagFile.sha256, mode: flagFile.mode, owner: `${flagFile.owner}:${flagFile.group}` } : null,
        current: await remoteSha256(t, flagPath, i.opts.signal),
      } : null,
      runtime: spec.drain === 'runtime' && spec.set ? { set: spec.set, state: spec.state, ...(spec.sessions ? { sessions: spec.sessions } : {}) } : null,
    });
  }
  return balancers;
}
