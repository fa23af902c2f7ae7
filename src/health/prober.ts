import type { HealthCheck, ProbeResult } from '../model/health.js';
import type { Transport } from '../transport/transport.js';
import { probeHttpFromController } from './http-probe.js';
import { probeOnHost, remoteProbeCommand } from './remote-probes.js';
import { probeTcpFromController, probeTcpThroughTunnel } from './tcp-probe.js';
import { tunnelOf } from './tunnel.js';

export interface ProbeContext {
  /** The node's transport, for checks that run on the host. */
  readonly transport?: Transport;
  /** Per-probe time limit. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** Runs one check once. Resolves unhealthy on a refused port or bad status; throws only on transport failure. */
export interface HealthProber {
  probe(check: HealthCheck, ctx: ProbeContext): Promise<ProbeResult>;
}

/**
 * The real prober: checks `from: host` (and log, command) run on the node over its transport; http/tcp checks from
 * the controller use node:http(s)/net, with their TCP connection opened by the node's sshd and carried in its SSH
 * session when the transport can (a node behind a bastion has no route from the controller).
 */
export const defaultProber: HealthProber = {
  async probe(check, ctx) {
    const remote = remoteProbeCommand(check, ctx.timeoutMs);
    if (remote) {
      if (!ctx.transport) return { check, healthy: false, detail: 'no connection to the host to run this check' };
      return probeOnHost(check, remote, ctx.transport, ctx.signal);
    }
    const tunnel = tunnelOf(ctx.transport);
    if (check.kind === 'http') return probeHttpFromController(check, ctx.timeoutMs, ctx.signal, tunnel);
    if (check.kind === 'tcp') return tunnel ? probeTcpThroughTunnel(check, ctx.timeoutMs, tunnel) : probeTcpFromController(check, ctx.timeoutMs);
    return { check, healthy: false, detail: `check kind ${check.kind} needs the host` };
  },
};
