import type { HealthCheck, ProbeResult } from '../model/health.js';
import { TcpForwardingRefused, type Transport } from '../transport/transport.js';
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

/** Transports whose sshd refused TCP forwarding: their checks run without the tunnel for the rest of the run. */
const refusedForwarding = new WeakSet<Transport>();

/**
 * A check that verifies an https certificate from the host must trust what the host trusts: curl there, never the
 * controller's TLS client and its trust store.
 */
const needsHostTrust = (check: HealthCheck): boolean =>
  check.kind === 'http' && check.from === 'host' && check.url.startsWith('https:') && !check.insecureTls;

/**
 * http and tcp checks through the node's SSH session: the TCP connection is opened by the node's sshd, so the
 * check sees what the node sees (a `from: host` check) or what nothing but SSH reaches (a node behind a bastion),
 * and no process starts on the node. Undefined when the check cannot or the transport has no tunnel.
 */
function throughTunnel(check: HealthCheck, ctx: ProbeContext): Promise<ProbeResult> | undefined {
  if ((check.kind !== 'http' && check.kind !== 'tcp') || needsHostTrust(check)) return undefined;
  if (ctx.transport && refusedForwarding.has(ctx.transport)) return undefined;
  const tunnel = tunnelOf(ctx.transport);
  if (!tunnel) return undefined;
  const origin = check.from === 'host' ? ' (from host)' : '';
  return check.kind === 'http'
    ? probeHttpFromController(check, ctx.timeoutMs, ctx.signal, tunnel, origin)
    : probeTcpThroughTunnel(check, ctx.timeoutMs, tunnel, origin);
}

/**
 * The real prober. http and tcp checks go through the node's SSH session where its sshd allows TCP forwarding
 * (throughTunnel). Where it does not (AllowTcpForwarding no, as CIS hardening asks), or for a certificate the host
 * must trust: `from: host` checks run curl or bash on the node over its transport, `from: controller` ones connect
 * from the controller. Log and command checks always run on the node.
 */
export const defaultProber: HealthProber = {
  async probe(check, ctx) {
    const tunnelled = throughTunnel(check, ctx);
    if (tunnelled) {
      try {
        return await tunnelled;
      } catch (err) {
        if (!(err instanceof TcpForwardingRefused)) throw err;
        refusedForwarding.add(ctx.transport!);
      }
    }
    const remote = remoteProbeCommand(check, ctx.timeoutMs);
    if (remote) {
      if (!ctx.transport) return { check, healthy: false, detail: 'no connection to the host to run this check' };
      return probeOnHost(check, remote, ctx.transport, ctx.signal);
    }
    if (check.kind === 'http') return probeHttpFromController(check, ctx.timeoutMs, ctx.signal);
    if (check.kind === 'tcp') return probeTcpFromController(check, ctx.timeoutMs);
    return { check, healthy: false, detail: `check kind ${check.kind} needs the host` };
  },
};
