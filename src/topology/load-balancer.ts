import { clientsOnGreen, type NodeRef } from '../model/inventory.js';
import type { BalancerKind } from '../model/role.js';
import { isIPv6 } from 'node:net';
import { bracket, controlPlaneDoor, gatewayMembers } from './doors.js';
import type { Member, MemberIndex } from './members.js';
import type { LoadBalancerContext, Upstream, UpstreamServer } from './types.js';

/** Where each balancer reads its certificate (roles/load-balancer/role.yaml writes them there); HAProxy finds the key beside it. */
const TLS_FILES: Readonly<Record<BalancerKind, LoadBalancerContext['tls']>> = {
  nginx: { certificate: '/etc/nginx/apim-deploy-tls.crt', key: '/etc/nginx/apim-deploy-tls.key' },
  haproxy: { certificate: '/etc/haproxy/apim-deploy-tls.crt', key: '/etc/haproxy/apim-deploy-tls.crt.key' },
};

/**
 * How the load-balancer role's variant for `kind` moves clients in `migrate`'s switch (roles/load-balancer/role.yaml
 * `balancer`): by a switch flag file, through its runtime API, or else by a config naming the new side (a reload).
 */
function switchWayOf(index: MemberIndex, kind: BalancerKind): { readonly flag: string } | 'runtime' | 'reload' {
  const runtime = index.catalog['load-balancer'].runtime;
  const spec = runtime.kind === 'service' ? runtime.variants.find((v) => v.when?.balancer === kind)?.balancer : undefined;
  return spec?.switchFlag ? { flag: spec.switchFlag } : spec?.drain === 'runtime' ? 'runtime' : 'reload';
}

const isDrained = (drained: readonly NodeRef[], m: Member) =>
  drained.some((d) => d.host === m.host.name && d.role === m.role);

/**
 * Upstreams of the load balancer (nginx or HAProxy) in `dc` (reference §9): portals sticky to the control planes (or
 * all-in-one nodes), gateway traffic, gateway WebSocket (ws and wss), gateway management with one primary and
 * backups, key managers, each on the listener port the load-balancer role names. A drained node stays listed with
 * `down`, so re-rendering does not reorder the upstream.
 */
export function loadBalancerContext(
  index: MemberIndex,
  dc: string | null,
  publicHost: { controlPlane: string; gateway: string },
  drained: readonly NodeRef[],
  /** The balancer's own address. */
  self: string,
  kind: BalancerKind,
): LoadBalancerContext {
  // Green's nodes on their partners' addresses, same ports (green inherits blue's offsets).
  const partner = new Map((index.inv.green ?? []).map((g) => [g.blue, g]));
  const greenOf = (m: Member): Member | null => {
    const g = partner.get(m.host.name);
    return g ? { ...m, host: { ...m.host, name: g.name, address: g.address }, address: g.address } : null;
  };
  const onGreen = clientsOnGreen(index.inv.traffic, dc);
  // How this balancer moves clients in `migrate`'s switch: a switch flag (nginx) renders both sides' groups and picks
  // one per request; a runtime API (HAProxy) lists both sides in one backend, the side not serving `disabled`, so the
  // switch has servers to set ready and maint; otherwise the config names the side clients are on.
  const way = switchWayOf(index, kind);
  const switchFlag = typeof way === 'object' ? way.flag : null;
  const standby = new Set<Member>();
  const serversOf = (members: readonly Member[], nodePort: string, backups: boolean): UpstreamServer[] =>
    members.map((m, i) => ({
      node: { host: m.host.name, role: m.role },
      address: m.address,
      port: m.port(nodePort),
      endpoint: `${bracket(m.address)}:${m.port(nodePort)}`,
      ports: Object.fromEntries(Object.keys(index.catalog[m.role].ports).map((name) => [name, m.port(name)])),
      down: isDrained(drained, m) || standby.has(m),
      backup: backups && i > 0,
    }));
  /** The members clients reach on the side they are on, and (switch by flag) both sides. */
  interface Clients { readonly members: readonly Member[]; readonly sides: { readonly blue: readonly Member[]; readonly green: readonly Member[] } | null }
  const clients = (members: readonly Member[]): Clients => {
    const moved = members.map((m) => greenOf(m) ?? m);
    if (partner.size === 0) return { members, sides: null };
    if (switchFlag !== null) return { members: onGreen ? moved : members, sides: { blue: members, green: moved } };
    if (way !== 'runtime') return { members: onGreen ? moved : members, sides: null };
    const green = members.flatMap((m) => greenOf(m) ?? []);
    for (const m of onGreen ? members.filter((b) => partner.has(b.host.name)) : green) standby.add(m);
    return { members: [...members, ...green], sides: null };
  };
  const upstream = (
    name: string,
    reached: Clients,
    nodePort: string,
    listen: string,
    opts: { tls: boolean; sticky: boolean; serverName: string; backups?: boolean; websocket?: boolean },
  ): Upstream | null => {
    if (reached.members.length === 0) return null;
    const backups = Boolean(opts.backups);
    return {
      name,
      listen: index.lbPort(listen),
      tls: opts.tls,
      sticky: opts.sticky,
      serverName: opts.serverName,
      websocket: Boolean(opts.websocket),
      servers: serversOf(reached.members, nodePort, backups),
      sides: reached.sides ? { blue: serversOf(reached.sides.blue, nodePort, backups), green: serversOf(reached.sides.green, nodePort, backups) } : null,
    };
  };
  const only = (members: readonly Member[]): Clients => ({ members, sides: null });
  const cp = controlPlaneDoor(index, dc);
  const blueGateways = gatewayMembers(index, dc);
  const portals = clients(cp.dc === dc ? cp.members : []);
  const gateways = clients(blueGateways);
  const realGateways = clients(index.members('gateway', dc));
  const gw = { tls: true, sticky: false, serverName: publicHost.gateway };
  const greenGateways = blueGateways.flatMap((m) => greenOf(m) ?? []);
  return {
    greenGatewayHttp: upstream('apim_green_gateway_http', only(greenGateways), 'passthrough_http', 'green_gateway_http', { ...gw, tls: false, serverName: '_' }),
    portals: upstream('apim_portals', portals, 'https', 'portals', { tls: true, sticky: true, serverName: publicHost.controlPlane }),
    gatewayHttps: upstream('apim_gateway_https', gateways, 'passthrough_https', 'gateway_https', gw),
    gatewayHttp: upstream('apim_gateway_http', gateways, 'passthrough_http', 'gateway_http', { ...gw, tls: false }),
    gatewayManagement: upstream('apim_gateway_management', realGateways, 'https', 'gateway_management', { ...gw, backups: true }),
    keyManager: upstream('apim_key_manager', clients(index.members('key-manager', dc)), 'https', 'key_manager', { tls: true, sticky: false, serverName: '_' }),
    gatewayWs: upstream('apim_gateway_ws', gateways, 'ws', 'gateway_ws', { ...gw, tls: false, websocket: true }),
    gatewayWss: upstream('apim_gateway_wss', gateways, 'wss', 'gateway_wss', { ...gw, websocket: true }),
    tls: TLS_FILES[kind],
    switchFlag: partner.size > 0 ? switchFlag : null,
    listenIpv6: isIPv6(self),
  };
}

/** Every upstream of a balancer, in the order nginx.conf lists them. */
export const balancerUpstreams = (lb: LoadBalancerContext): Upstream[] =>
  [lb.portals, lb.gatewayHttps, lb.gatewayHttp, lb.gatewayManagement, lb.keyManager, lb.gatewayWs, lb.gatewayWss].filter((u): u is Upstream => u !== null);
