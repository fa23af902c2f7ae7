import type { NodeRef } from '../model/inventory.js';
import { controlPlaneDoor, gatewayMembers } from './doors.js';
import type { Member, MemberIndex } from './members.js';
import { LB_PORTS, type LoadBalancerContext, type Upstream } from './types.js';

const isDrained = (drained: readonly NodeRef[], m: Member) =>
  drained.some((d) => d.host === m.host.name && d.role === m.role);

/**
 * nginx upstreams of the load balancer in `dc` (reference §9): portals sticky to the control planes (or
 * all-in-one nodes), gateway traffic on 8243/8280, gateway management with one primary and backups, key
 * managers. A drained node stays listed with `down`, so re-rendering does not reorder the upstream.
 */
export function loadBalancerContext(
  index: MemberIndex,
  dc: string | null,
  publicHost: { controlPlane: string; gateway: string },
  drained: readonly NodeRef[],
): LoadBalancerContext {
  const upstream = (
    name: string,
    members: readonly Member[],
    basePort: number,
    listen: number,
    opts: { tls: boolean; sticky: boolean; serverName: string; backups?: boolean },
  ): Upstream | null =>
    members.length === 0
      ? null
      : {
          name,
          listen,
          tls: opts.tls,
          sticky: opts.sticky,
          serverName: opts.serverName,
          servers: members.map((m, i) => ({
            node: { host: m.host.name, role: m.role },
            address: m.address,
            port: m.port(basePort),
            down: isDrained(drained, m),
            backup: Boolean(opts.backups) && i > 0,
          })),
        };
  const cp = controlPlaneDoor(index, dc);
  const portals = cp.dc === dc ? cp.members : [];
  const gateways = gatewayMembers(index, dc);
  const realGateways = index.members('gateway', dc);
  const gw = { tls: true, sticky: false, serverName: publicHost.gateway };
  return {
    portals: upstream('apim_portals', portals, 9443, LB_PORTS.portals, { tls: true, sticky: true, serverName: publicHost.controlPlane }),
    gatewayHttps: upstream('apim_gateway_https', gateways, 8243, LB_PORTS.gatewayHttps, gw),
    gatewayHttp: upstream('apim_gateway_http', gateways, 8280, LB_PORTS.gatewayHttp, { ...gw, tls: false }),
    gatewayManagement: upstream('apim_gateway_management', realGateways, 9443, LB_PORTS.gatewayManagement, { ...gw, backups: true }),
    keyManager: upstream('apim_key_manager', index.members('key-manager', dc), 9443, LB_PORTS.keyManager, {
      tls: true,
      sticky: false,
      serverName: '_',
    }),
    tls: { certificate: '/etc/nginx/apim-deploy-tls.crt', key: '/etc/nginx/apim-deploy-tls.key' },
  };
}
