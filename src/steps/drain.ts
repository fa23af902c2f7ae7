import { RemoteError } from '../errors.js';
import { parseSessions } from '../model/balancer-state.js';
import type { StepOf } from '../model/plan.js';
import type { RemoteCommand } from '../transport/transport.js';
import type { StepContext, StepKind } from './step-kind.js';

export const DRAIN_POLL_MS = 500;
const DEFAULT_GRACE_MS = 30_000;

/** Established TCP connections on the load balancer towards the node. */
export const connectionsCommand = (address: string): RemoteCommand => ({
  // ss reads a bare IPv6 address's last group as a port: brackets keep it an address.
  argv: ['ss', '-Htn', 'state', 'established', 'dst', address.includes(':') ? `[${address}]` : address],
});

/** Counts `ss` lines whose peer is one of the node's ports (peer is the last column: addr:port). */
export function countConnections(ssOutput: string, ports: readonly number[]): number {
  return ssOutput
    .split('\n')
    .map((line) => line.trim().split(/\s+/).pop() ?? '')
    .filter((peer) => peer !== '' && (ports.length === 0 || ports.includes(Number(peer.slice(peer.lastIndexOf(':') + 1)))))
    .length;
}

/**
 * The node is marked down by earlier steps (config reloaded, or `maint` through the runtime API); drain then waits on
 * the load balancer host for what is in flight to the node to finish (bounded by graceMs): the balancer's own count
 * of its requests when it has one (HAProxy keeps idle keep-alive connections that carry nothing), else connections.
 */
export const drain: StepKind<'drain'> = {
  kind: 'drain',
  mutates: false,
  describe: (s) =>
    s.undrain ? `put ${s.component} back into the load balancer on ${s.via}` : `drain ${s.component} from the load balancer on ${s.via}`,
  commands: (s) => (s.undrain || !s.address ? [] : s.sessions ? [{ argv: s.sessions.argv }] : [connectionsCommand(s.address)]),
  preview: (s) => (s.undrain || !s.address ? [] : s.sessions
    ? [`# on ${s.via}, until the balancer has no request in flight on ${s.sessions.servers.join(', ')}`]
    : [`# on ${s.via}, until no connection to ${s.address} ports ${(s.ports ?? []).join(',')}`]),
  async apply(s, ctx) {
    if (s.undrain) return { status: 'ok', reason: `back in the load balancer on ${s.via}` };
    if (!s.address) return { status: 'ok', reason: 'no node address given: nothing to wait for' };
    const grace = s.graceMs ?? DEFAULT_GRACE_MS;
    const what = s.sessions ? 'requests in flight' : 'connections';
    const left = await waitUntilIdle(ctx, s, grace);
    if (left === 0) return { status: 'ok', reason: `no ${what} from ${s.via} to ${s.address} left` };
    return {
      status: 'ok',
      reason: `drained with ${left} ${what} still open`,
      warnings: [`${left} ${what} from ${s.via} to ${s.address} still open after ${grace} ms; going on`],
    };
  },
};

/** In flight now: the balancer's own count of the node's requests (`sessions`), else the TCP connections to its ports. */
async function inFlight(ctx: StepContext, s: StepOf<'drain'>): Promise<number> {
  const lb = ctx.transportFor(s.via);
  if (!lb) throw new RemoteError(s.via, `no connection to load balancer host ${s.via} to watch the drain`);
  const r = await lb.exec(s.sessions ? { argv: s.sessions.argv } : connectionsCommand(s.address!), ctx.signal);
  if (r.exitCode !== 0) throw new RemoteError(s.via, `cannot count what is in flight to ${s.address}`, r.stderr.trim());
  if (!s.sessions) return countConnections(r.stdout, s.ports ?? []);
  const counts = parseSessions(r.stdout);
  return s.sessions.servers.reduce((n, id) => n + (counts.get(id) ?? 0), 0);
}

async function waitUntilIdle(ctx: StepContext, s: StepOf<'drain'>, graceMs: number): Promise<number> {
  const deadline = ctx.clock.now() + graceMs;
  for (;;) {
    const open = await inFlight(ctx, s);
    const left = deadline - ctx.clock.now();
    if (open === 0 || left <= 0) return open;
    await ctx.clock.sleep(Math.min(DRAIN_POLL_MS, left), ctx.signal);
  }
}
