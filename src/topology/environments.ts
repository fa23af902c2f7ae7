import type { Member, MemberIndex } from './members.js';
import { gatewayDoor, gatewayMembers, url } from './doors.js';
import type { GatewayEnvironment } from './types.js';

/**
 * Gateway environment name per datacenter: the gateways' `gateway_environment` (default "Default"). Active-passive:
 * the central control plane lists every datacenter's environment, so when two would share a name, later ones get
 * `-<dc>`. Active-active regions are identical (WSO2 docs, multi-DC pattern 1): each keeps its name, shared or not.
 */
export function environmentNames(index: MemberIndex): Map<string | null, string> {
  const names = new Map<string | null, string>();
  const used = new Set<string>();
  for (const dc of index.datacenters) {
    const first = gatewayMembers(index, dc)[0];
    if (!first) continue;
    let name = first.node.vars.gateway_environment;
    if (used.has(name) && dc !== null && index.inv.pattern === 'multi-dc-active-passive') name = `${name}-${dc}`;
    used.add(name);
    names.set(dc, name);
  }
  return names;
}

/**
 * The `[[apim.gateway.environment]]` blocks of a control plane / all-in-one node in `dc`. The central
 * control plane of active-passive lists every datacenter's gateways; otherwise a node lists its own.
 * `self` is set for an all-in-one node whose own embedded gateway serves the environment.
 */
export function gatewayEnvironments(index: MemberIndex, dc: string | null, self: Member | null): GatewayEnvironment[] {
  const selfHttpsPort = self ? self.port('https') : null;
  const names = environmentNames(index);
  const dcs = index.inv.pattern === 'multi-dc-active-passive' && dc === index.central ? index.datacenters : [dc];
  const lb = (name: string) => index.lbPort(name);
  const base = (name: string) => index.basePort('gateway', name);
  const out: GatewayEnvironment[] = [];
  for (const g of dcs) {
    const name = names.get(g);
    const d = gatewayDoor(index, g);
    if (name === undefined || d === null) continue;
    const gateways = index.members('gateway', g);
    const firstGw = gateways[0];
    const serviceUrl = firstGw
      ? url('https', d.viaLoadBalancer ? d.host : firstGw.address, d.viaLoadBalancer ? lb('gateway_management') : firstGw.port('https'), '/services/')
      : url('https', 'localhost', selfHttpsPort ?? base('https'), '/services/');
    out.push({
      name,
      description: g === null ? 'Gateway environment' : `Gateways of datacenter ${g}`,
      serviceUrl,
      httpEndpoint: url('http', d.host, d.port(lb('gateway_http'), 'passthrough_http')),
      httpsEndpoint: url('https', d.host, d.port(lb('gateway_https'), 'passthrough_https')),
      wsEndpoint: url('ws', d.host, d.port(lb('gateway_ws'), 'ws')),
      wssEndpoint: url('wss', d.host, d.port(lb('gateway_wss'), 'wss')),
      websub: self ? { http: url('http', 'localhost', self.port('websub_http')), https: url('https', 'localhost', self.port('websub_https')) } : null,
    });
  }
  return out;
}
