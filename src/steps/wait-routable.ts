import { HealthTimeoutError, RemoteError } from '../errors.js';
import { parseBalancerState, type ServerState } from '../model/balancer-state.js';
import type { StepOf } from '../model/plan.js';
import type { RemoteCommand } from '../transport/transport.js';
import type { StepContext, StepKind } from './step-kind.js';

export const ROUTABLE_POLL_MS = 500;

/**
 * Connects from the balancer host to every server's port at once, as a balancer that does not health-check would,
 * and prints `<address> <port>` for each it reached: a server not printed (refused, timed out, or a fork the host
 * refused) counts as unreachable, and one still connecting after 3 s is stopped. One command however many servers
 * (an end-of-plan gate with 58 gateways behind nginx holds some 290), each a fork of this shell, no program run.
 */
const CONNECT_ALL = `pids=
while [ "$#" -ge 2 ]; do
  { exec 3<>"/dev/tcp/$1/$2" && echo "$1 $2"; } 2>/dev/null &
  pids="$pids $!"
  shift 2
done
( sleep 3; kill $pids ) >/dev/null 2>&1 &
killer=$!
wait $pids
kill $killer 2>/dev/null
exit 0`;

export const connectCommand = (servers: readonly { readonly address: string; readonly port: number }[]): RemoteCommand => ({
  argv: ['bash', '-c', CONNECT_ALL, 'connect-all', ...servers.flatMap((x) => [x.address, String(x.port)])],
});

/**
 * Whom the step waits for: its node (a rollout's gate), else the nodes its servers name (the end-of-plan gate), the
 * first three and how many more; servers that name no node are "the servers".
 */
export function routedTo(s: Pick<StepOf<'wait-routable'>, 'node' | 'servers'>): string {
  if (s.node) return `${s.node.host}/${s.node.role}`;
  const nodes = [...new Set(s.servers.flatMap((x) => (x.node ? [`${x.node.host}/${x.node.role}`] : [])))];
  if (nodes.length === 0) return 'the servers';
  return nodes.length <= 3 ? nodes.join(', ') : `${nodes.slice(0, 3).join(', ')} and ${nodes.length - 3} more`;
}

/** What stops the balancer from routing to each server now (empty: it routes to all of them). */
async function notRoutable(s: StepOf<'wait-routable'>, ctx: StepContext): Promise<string[]> {
  const problems: string[] = [];
  let reported = new Map<string, ServerState>();
  if (s.state) {
    const r = await ctx.transport.exec({ argv: s.state }, ctx.signal);
    if (r.exitCode !== 0) return [`cannot read the balancer's state: ${r.stderr.trim() || `exit ${r.exitCode}`}`];
    reported = parseBalancerState(r.stdout);
  }
  const unchecked: (typeof s.servers)[number][] = [];
  for (const server of s.servers) {
    const seen = reported.get(server.id);
    if (s.skipHeldOut && seen && seen.admin !== 'ready') continue;
    if (s.state && !seen) problems.push(`${server.id}: not in the balancer`);
    else if (seen?.health === 'down') problems.push(`${server.id}: its health check fails on the balancer`);
    else if (!seen || seen.health === 'unchecked') unchecked.push(server);
  }
  if (unchecked.length > 0) {
    const c = await ctx.transport.exec(connectCommand(unchecked), ctx.signal);
    if (c.exitCode !== 0) return [...problems, `cannot connect from ${ctx.transport.host}: ${c.stderr.trim() || `exit ${c.exitCode}`}`];
    const reached = new Set(c.stdout.split('\n').map((l) => l.trim()).filter(Boolean));
    for (const x of unchecked) if (!reached.has(`${x.address} ${x.port}`)) problems.push(`${x.id}: ${ctx.transport.host} cannot connect to ${x.address}:${x.port}`);
  }
  return problems;
}

/**
 * The last gate before a node rejoins: the balancer itself would route to it. HAProxy reports its own health checks
 * of the node (the node is in `probe`: checked, no traffic); for nginx, which does not check, the balancer host
 * connects to every port it routes to. Runs on the balancer host: no controller-to-node traffic is assumed.
 */
export const waitRoutable: StepKind<'wait-routable'> = {
  kind: 'wait-routable',
  mutates: false,
  describe: (s) => `wait until ${s.host} routes to ${routedTo(s)} (${s.servers.length} server(s), up to ${Math.round(s.timeoutMs / 1000)}s)`,
  commands: (s) => [
    ...(s.state ? [{ argv: s.state }] : []),
    ...(s.state ? [] : [connectCommand(s.servers)]),
  ],
  preview: (s) => s.servers.map((x) => `# until ${x.id} is up on ${s.host}`),
  async apply(s, ctx) {
    const deadline = ctx.clock.now() + s.timeoutMs;
    for (;;) {
      const problems = await notRoutable(s, ctx);
      if (problems.length === 0) return { status: 'ok', reason: `${s.host} routes to all ${s.servers.length} server(s)` };
      if (problems[0]!.startsWith('cannot read')) throw new RemoteError(s.host, problems[0]!);
      if (ctx.clock.now() >= deadline) {
        throw new HealthTimeoutError(s.host, `the balancer does not route to ${routedTo(s)} after ${Math.round(s.timeoutMs / 1000)} s`, problems.join('\n'));
      }
      await ctx.clock.sleep(ROUTABLE_POLL_MS, ctx.signal);
    }
  },
};
