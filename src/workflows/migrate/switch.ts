import { UsageError } from '../../errors.js';
import type { HostName, Inventory, NodeRef } from '../../model/inventory.js';
import { migrationDir } from '../../planner/migration/database-phases.js';
import { clientSwitchSteps, type SwitchBalancer } from '../../planner/migration/switch.js';
import { planMeta, singleWavePlan } from '../../planner/plan-of.js';
import type { BalancedNode } from '../../planner/rolling-window.js';
import { renderNode, type RenderedNode } from '../../render/render-inventory.js';
import { remoteSha256 } from '../../steps/remote-facts.js';
import { buildNodeContext } from '../../topology/context.js';
import { balancerUpstreams } from '../../topology/load-balancer.js';
import { planRunner, runExitCode, type ExecuteOptions } from '../run/execute.js';
import type { RunContext } from '../run/open-run.js';
import { reach } from '../rollout/balancer.js';
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

/** Blue's inventory with its clients on `side`: what the balancers render before and after the switch. */
function onSide(inv: Inventory, side: Side): Inventory {
  const { traffic: _, ...blue } = inv;
  return side === 'green' ? { ...blue, traffic: 'green' } : blue;
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
 * controller's record. Each balancer is rendered as it is on either side; nginx gets the config naming the new side
 * in one reload, which also lifts the read-only window where it is in place; HAProxy, whose backends list both
 * sides, switches through its runtime API without a reload (src/planner/migration/switch.ts).
 */
export async function switchClients(i: SwitchInput): Promise<PhaseOutcome> {
  const { ctx, side } = i;
  const lbs = ctx.rendered.filter((r) => r.role === 'load-balancer' && r.context.loadBalancer && r.runtime.balancer);
  if (lbs.length === 0) throw new UsageError(`${ctx.inventory.file} has no load balancer: the switch moves clients on the balancers, so move them to ${side} by hand`);
  const window = await readWindowFacts(ctx, i.opts.signal);
  for (const [sha, c] of window.contents) ctx.contents.set(sha, c);
  const balancers: SwitchBalancer[] = [];
  for (const lb of lbs) {
    const t = ctx.transports.get(lb.host);
    if (!t) throw new UsageError(`${lb.host}: not connected: every balancer moves to ${side} in the switch`);
    const spec = lb.runtime.balancer!;
    const render = (s: Side) => renderNode(ctx.catalog[lb.role], buildNodeContext(onSide(ctx.inventory, s), ctx.catalog, lb.node));
    const target = render(side);
    const left = render(side === 'green' ? 'blue' : 'green');
    const file = target.files[0];
    if (!file || (!target.runtime.reload && spec.drain !== 'runtime')) throw new UsageError(`${lb.host}: its role renders no config to reload: cannot switch it`);
    ctx.contents.set(file.sha256, { sha256: file.sha256, content: file.content, secret: file.secret });
    const to = reached(target);
    const from = reached(left);
    const key = (n: BalancedNode) => `${n.node.host}/${n.node.role}`;
    balancers.push({
      host: lb.host,
      to: to.filter((n) => !from.some((f) => key(f) === key(n))),
      from: from.filter((n) => !to.some((f) => key(f) === key(n))),
      config: { path: file.path, mode: file.mode, owner: `${file.owner}:${file.group}`, sha256: file.sha256, expectSha256: await remoteSha256(t, file.path, i.opts.signal), reload: target.runtime.reload ?? [] },
      window: window.balancers.find((w) => w.host === lb.host) ?? null,
      runtime: spec.drain === 'runtime' && spec.set ? { set: spec.set, state: spec.state, ...(spec.sessions ? { sessions: spec.sessions } : {}) } : null,
    });
  }
  const settled = (readRecord(i.dir)?.clients ?? 'blue') === side;
  const steps = clientSwitchSteps(balancers, { host: i.databaseHost, marker: `${migrationDir(i.id)}/switch.done`, side }, !settled);
  const moving = balancers.filter((b) => b.config.sha256 !== b.config.expectSha256).map((b) => b.host);
  i.notice(`switch to ${side}: ${moving.length > 0 ? `${moving.join(', ')} move their clients` : `every balancer sends clients to ${side} already`}`);
  const started = Date.now();
  const plan = singleWavePlan(planMeta(ctx.inventory.file, ctx.inventory.apim.version), `migrate: switch to ${side}`, steps);
  const run = await planRunner(ctx, i.opts)(plan, true);
  if (!run.ok) {
    return { ok: false, exitCode: run.aborted ? 130 : runExitCode(run),
      message: `the switch to ${side} did not finish; each balancer serves one side wholly (status shows which), blue keeps running; re-run to complete it` };
  }
  const record = readRecord(i.dir);
  if (record) recordClients(i.dir, record, side);
  i.notice(`switch to ${side}: done in ${Date.now() - started} ms; clients on ${side} at every balancer`);
  return { ok: true, exitCode: 0 };
}
