import type { RoleName } from '../model/inventory.js';
import { satisfies } from '../catalog/semver.js';
import { controlPlaneDoor, gatewayDoor, keyManagerDoor, servicesUrl, ssl, tcp, url } from './doors.js';
import { environmentNames, gatewayEnvironments } from './environments.js';
import { jdbcRefs } from './database.js';
import { sameNode, type Member, type MemberIndex } from './members.js';
import { LB_PORTS, type EventHubRefs, type ThrottlingRefs, type Wso2Context, type Wso2Ports } from './types.js';
import type { NodeVars } from './vars.js';

/** The WSO2 part of a node's context: every cross-node reference of its deployment.toml (reference §3). */
export function wso2Context(
  index: MemberIndex,
  self: Member,
  dc: string | null,
  vars: NodeVars,
  ports: Wso2Ports,
): Wso2Context {
  const role = self.role;
  const isEventHub = role === 'control-plane' || role === 'all-in-one';
  const cp = controlPlaneDoor(index, dc);
  const km = keyManagerDoor(index, dc);
  const cpBase = cp.door ? url('https', cp.door.host, cp.door.port(LB_PORTS.portals, 9443)) : null;
  const kmUrl = km ? servicesUrl(km, LB_PORTS.keyManager) : null;
  const gw = gatewayDoor(index, dc);

  const hostname =
    role === 'gateway' ? (gw?.host ?? self.address)
    : role === 'key-manager' ? (km?.host ?? self.address)
    : role === 'traffic-manager' ? self.address
    : (cp.door?.host ?? self.address);

  const keyManager =
    role === 'key-manager' ? null
    : kmUrl ? { serviceUrl: kmUrl }
    : role === 'all-in-one' || !cp.door ? null // resident key manager: the product default is right
    : { serviceUrl: servicesUrl(cp.door) };

  const revokesTokens = role === 'key-manager' || (isEventHub && km === null);
  return {
    server: { hostname, nodeIp: self.address, serverRole: role === 'gateway' ? 'gateway-worker' : 'default' },
    httpsProxyPort: isEventHub && cp.door?.viaLoadBalancer ? LB_PORTS.portals : null,
    devportalUrl: isEventHub && cpBase ? `${cpBase}/devportal` : null,
    jvmMemOpts: `-Xms${vars.jvmHeap} -Xmx${vars.jvmHeap}`,
    database: role === 'control-plane' || role === 'all-in-one' || role === 'key-manager' ? jdbcRefs(index, self, vars) : null,
    eventHub: eventHub(index, self, isEventHub ? null : cp.members, cpBase),
    throttling: throttling(index, self, dc),
    keyManager,
    tokenRevocation: revokesTokens && cpBase ? { notificationEndpoint: `${cpBase}/internal/data/v1/notify` } : null,
    gatewayEnvironments: isEventHub ? gatewayEnvironments(index, dc, role === 'all-in-one' ? ports.https : null) : [],
    gatewayLabels: role === 'gateway' ? [environmentNames(index).get(dc) ?? vars.gatewayEnvironment] : [],
    gatewayId: role === 'gateway' ? self.host.name : null,
    cacheInvalidation: isEventHub && peersOf(index, self, dc).length > 0,
    gatewayNotification: role === 'gateway' && satisfies(index.inv.apim.version, '>=4.6.0'),
  };
}

/** Other nodes of the same role in the same datacenter (HA peers). */
function peersOf(index: MemberIndex, self: Member, dc: string | null): Member[] {
  return index.members(self.role, dc).filter((m) => !sameNode(m, self));
}

/** `providers` null = this node is the event hub; else it subscribes to them. */
function eventHub(index: MemberIndex, self: Member, providers: Member[] | null, cpBase: string | null): EventHubRefs | null {
  if (providers === null) {
    const dc = self.host.datacenter ?? null;
    const all = index.members(self.role, dc);
    return {
      // Carbon resolves this reference itself: the node's own servlet port.
      serviceUrl: 'https://localhost:${mgt.transport.https.port}/services/',
      listeningEndpoints: [`tcp://localhost:${self.port(5672)}`],
      duplicateUrls: peersOf(index, self, dc).map((p) => tcp(p, 5672)),
      publishGroups: all.map((m) => ({ urls: [tcp(m, 9611)], authUrls: [ssl(m, 9711)] })),
    };
  }
  if (!providers.length || cpBase === null) return null;
  return {
    serviceUrl: `${cpBase}/services/`,
    listeningEndpoints: providers.map((p) => tcp(p, 5672)),
    duplicateUrls: [],
    publishGroups: [],
  };
}

function throttling(index: MemberIndex, self: Member, dc: string | null): ThrottlingRefs | null {
  const role: RoleName = self.role;
  if (role === 'gateway') {
    const tms = index.firstPresent(['traffic-manager', 'all-in-one'], dc).members;
    return {
      decisionEndpoints: tms.map((t) => tcp(t, 5672)),
      urlGroups: tms.map((t) => ({ urls: [tcp(t, 9611)], authUrls: [ssl(t, 9711)] })),
      duplicateUrls: [],
    };
  }
  const peers = peersOf(index, self, dc);
  const local = `tcp://localhost:${self.port(5672)}`;
  if (role === 'traffic-manager') return { decisionEndpoints: [local], urlGroups: [], duplicateUrls: peers.map((p) => tcp(p, 5672)) };
  // All-in-one HA: the embedded traffic managers form a mesh (reference §3.7); a single node keeps defaults.
  if (role === 'all-in-one' && peers.length > 0) {
    const all = index.members(role, dc);
    return {
      decisionEndpoints: [local],
      urlGroups: all.map((m) => ({ urls: [tcp(m, 9611)], authUrls: [ssl(m, 9711)] })),
      duplicateUrls: peers.map((p) => tcp(p, 5672)),
    };
  }
  return null;
}

export function wso2Ports(member: { port(base: number): number }): Wso2Ports {
  return {
    https: member.port(9443),
    http: member.port(9763),
    passthroughHttp: member.port(8280),
    passthroughHttps: member.port(8243),
    ws: member.port(9099),
    wss: member.port(8099),
    amqp: member.port(5672),
    binary: member.port(9611),
    binarySsl: member.port(9711),
  };
}

