import { RemoteError } from '../errors.js';
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
 * The load balancer config with the node marked down is uploaded and reloaded by earlier steps; drain then
 * waits on the load balancer host for in-flight connections to the node to finish (bounded by graceMs).
 */
export const drain: StepKind<'drain'> = {
  kind: 'drain',
  mutates: false,
  describe: (s) =>
    s.undrain ? `put ${s.component} back into the load balancer on ${s.via}` : `drain ${s.component} from the load balancer on ${s.via}`,
  commands: (s) => (!s.undrain && s.address ? [connectionsCommand(s.address)] : []),
  preview: (s) => (!s.undrain && s.address ? [`# on ${s.via}, until no connection to ${s.address} ports ${(s.ports ?? []).join(',')}`] : []),
  async apply(s, ctx) {
    if (s.undrain) return { status: 'ok', reason: `back in the load balancer on ${s.via}` };
    if (!s.address) return { status: 'ok', reason: 'no node address given: nothing to wait for' };
    const grace = s.graceMs ?? DEFAULT_GRACE_MS;
    const left = await waitForNoConnections(ctx, s.via, s.address, s.ports ?? [], grace);
    if (left === 0) return { status: 'ok', reason: `no connections from ${s.via} to ${s.address} left` };
    return {
      status: 'ok',
      reason: `drained with ${left} connections still open`,
      warnings: [`${left} connections from ${s.via} to ${s.address} still open after ${grace} ms; going on`],
    };
  },
};

async function waitForNoConnections(ctx: StepContext, via: string, address: string, ports: readonly number[], graceMs: number): Promise<number> {
  const lb = ctx.transportFor(via);
  if (!lb) throw new RemoteError(via, `no connection to load balancer host ${via} to watch the drain`);
  const deadline = ctx.clock.now() + graceMs;
  for (;;) {
    const r = await lb.exec(connectionsCommand(address), ctx.signal);
    if (r.exitCode !== 0) throw new RemoteError(via, `ss failed while draining ${address}`, r.stderr.trim());
    const open = countConnections(r.stdout, ports);
    const left = deadline - ctx.clock.now();
    if (open === 0 || left <= 0) return open;
    await ctx.clock.sleep(Math.min(DRAIN_POLL_MS, left), ctx.signal);
  }
}
