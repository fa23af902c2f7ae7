import type { NodeRef } from '../../model/inventory.js';
import type { Step, StepOf } from '../../model/plan.js';
import { nodeKey } from '../../planner/build-plan.js';
import type { DesiredNode } from '../../planner/desired-state.js';
import { nodeSteps } from '../../planner/node-steps.js';
import { revertedNode } from '../../planner/rolling-restart.js';
import { currentContents } from '../run/current-contents.js';
import type { RunContext } from '../run/open-run.js';
import { readState } from '../run/read-state.js';
import type { BatchWindow } from './batch.js';

/**
 * provision --rolling's window for a batch, built on fresh facts: each node's own provision steps (upload, stop,
 * start, gate). The files they replace are read first, so a node that fails its gate can get them back.
 */
export async function restartWindow(ctx: RunContext, nodes: readonly DesiredNode[], healthTimeoutMs?: number): Promise<BatchWindow> {
  const hostsOf = (ns: readonly DesiredNode[]) => ctx.desired.filter((d) => ns.some((n) => n.node.host === d.host.name));
  const stepsFor = async (ns: readonly DesiredNode[]): Promise<Step[]> => {
    const { state } = await readState(ctx.transports, hostsOf(ns), 'skip', { verify: ctx.verify });
    return ns.flatMap((n) => nodeSteps(n, state.get(n.node.host)!, [], healthTimeoutMs ? { healthTimeoutMs } : {}).steps);
  };
  const all = await stepsFor(nodes);
  const changing = nodes.filter((n) => all.some((s) => s.host === n.node.host && s.kind !== 'wait-healthy'));
  const steps = all.filter((s) => changing.some((n) => n.node.host === s.host));
  const uploads = steps.filter((s): s is StepOf<'upload-file'> => s.kind === 'upload-file' && s.expectSha256 !== null);
  const before = await currentContents(ctx, uploads);
  for (const c of before.values()) ctx.contents.set(c.sha256, c);
  const restorable = (n: NodeRef) => new Map(uploads.filter((u) => u.host === n.host && before.has(u.expectSha256!)).map((u) => [u.path, u.expectSha256!]));
  const why = (n: DesiredNode) => steps.find((s) => s.host === n.node.host && s.kind === 'stop-component')?.reason ?? 'restart';
  return {
    nodes: changing.map((n) => n.node),
    summary: changing.map((n) => `${n.node.host} (${why(n)})`).join(', '),
    steps,
    failed: (n) => `${nodeKey(n)}: failed its health gate with the new config; restarting it on the ${restorable(n).size} file(s) it had`,
    revert: async (failed) => {
      const back = changing.filter((n) => failed.some((f) => nodeKey(f) === nodeKey(n.node))).map((n) => revertedNode(n, restorable(n.node)));
      return { steps: await stepsFor(back), nodes: back.map((n) => n.node) };
    },
  };
}
