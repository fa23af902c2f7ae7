import { satisfies } from '../catalog/semver.js';
import { shippedAt } from '../catalog/variants.js';
import type { RoleName } from '../model/inventory.js';
import { controlPlaneDoor, gatewayDoor, keyManagerDoor, servicesUrl, ssl, tcp, url } from './doors.js';
import { environmentNames, gatewayEnvironments } from './environments.js';
import { jdbcRefs } from './database.js';
import { sameNode, type Member, type MemberIndex } from './members.js';
import { getPattern } from '../catalog/patterns.js';
import type { CrossRegionEvents, EventHubRefs, ThrottlingRefs, Wso2Context } from './types.js';

/** The WSO2 part of a node's context: every cross-node reference of its deployment.toml (reference §3). */
export function wso2Context(index: MemberIndex, self: Member, dc: string | null): Wso2Context {
  const role = self.role;
  const def = index.catalog[role];
  const isEventHub = role === 'control-plane' || role === 'all-in-one';
  const cp = controlPlaneDoor(index, dc);
  const km = keyManagerDoor(index, dc);
  const portals = index.lbPort('portals');
  const cpBase = cp.door ? url('https', cp.door.host, cp.door.port(portals, 'https')) : null;
  const kmUrl = km ? servicesUrl(index, km, index.lbPort('key_manager')) : null;
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
    : { serviceUrl: servicesUrl(index, cp.door) };

  // Every node that issues tokens notifies its event hub of revocations (findings i10 §8): a control plane or
  // all-in-one itself on localhost, as the packs ship it; a key manager the control planes through their door.
  const tokenRevocation =
    isEventHub ? { notificationEndpoint: 'https://localhost:${mgt.transport.https.port}/internal/data/v1/notify' }
    : role === 'key-manager' && cpBase ? { notificationEndpoint: `${cpBase}/internal/data/v1/notify` }
    : null;
  // Behind a balancer, Tomcat writes the balancer's port into the URLs it generates (docs: proxyPort on both).
  const httpsProxyPort =
    isEventHub && cp.door?.viaLoadBalancer ? portals
    : role === 'gateway' && gw?.viaLoadBalancer ? index.lbPort('gateway_management')
    : role === 'key-manager' && km?.viaLoadBalancer ? index.lbPort('key_manager')
    : null;
  const ownEnvironment = environmentNames(index).get(dc) ?? self.node.vars.gateway_environment;
  return {
    server: { hostname, nodeIp: self.address, serverRole: def.runtime.kind === 'wso2' ? def.runtime.serverRole : 'default' },
    httpsProxyPort,
    devportalUrl: isEventHub && cpBase ? `${cpBase}/devportal` : null,
    database: jdbcRefs(index, self),
    eventHub: eventHub(index, self, isEventHub ? null : cp.members, cpBase),
    throttling: throttling(index, self, dc),
    keyManager,
    tokenRevocation,
    gatewayEnvironments: isEventHub ? gatewayEnvironments(index, dc, role === 'all-in-one' ? self : null) : [],
    // A gateway (and an all-in-one's own gateway) deploys only its labels' APIs (findings i10 §7).
    gatewayLabels: role === 'gateway' || role === 'all-in-one' ? [ownEnvironment] : [],
    gatewayId: role === 'gateway' ? self.host.name : null,
    cacheInvalidation: isEventHub && peersOf(index, self, dc).length > 0,
    gatewayNotification: role === 'gateway' && satisfies(index.inv.apim.version, '>=4.6.0'),
    shipped: shippedAt(def, index.inv.apim.version),
    crossRegion: isEventHub ? crossRegion(index, self, dc) : null,
  };
}

/**
 * Active-active (pattern data `cross_region_events`): every control plane publishes notifications, token revocations,
 * key manager and blocking events and webhooks data to every other region's event hubs (docs-apim multi-DC pattern 1).
 */
function crossRegion(index: MemberIndex, self: Member, dc: string | null): CrossRegionEvents | null {
  if (dc === null || !getPattern(index.inv.pattern)?.datacenters?.crossRegionEvents) return null;
  const peers = index.datacenters.flatMap((other, i) => {
    if (other === null || other === dc) return [];
    const brokers = index.members(self.role, other).map((m) => tcp(m, 'amqp'));
    return brokers.length ? [{ region: `Region${i + 1}`, datacenter: other, brokers }] : [];
  });
  if (!peers.length) return null;
  return { username: self.node.vars.admin_username, password: self.node.vars.admin_password ?? 'admin', peers };
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
      listeningEndpoints: [`tcp://localhost:${self.port('amqp')}`],
      duplicateUrls: peersOf(index, self, dc).map((p) => tcp(p, 'amqp')),
      publishGroups: all.map((m) => ({ urls: [tcp(m, 'binary')], authUrls: [ssl(m, 'binary_ssl')] })),
    };
  }
  if (!providers.length || cpBase === null) return null;
  return {
    serviceUrl: `${cpBase}/services/`,
    listeningEndpoints: providers.map((p) => tcp(p, 'amqp')),
    duplicateUrls: [],
    publishGroups: [],
  };
}

function throttling(index: MemberIndex, self: Member, dc: string | null): ThrottlingRefs | null {
  const role: RoleName = self.role;
  if (role === 'gateway') {
    const tms = index.firstPresent(['traffic-manager', 'all-in-one'], dc).members;
    return {
      decisionEndpoints: tms.map((t) => tcp(t, 'amqp')),
      urlGroups: tms.map((t) => ({ urls: [tcp(t, 'binary')], authUrls: [ssl(t, 'binary_ssl')] })),
      duplicateUrls: [],
    };
  }
  const peers = peersOf(index, self, dc);
  const local = (): string => `tcp://localhost:${self.port('amqp')}`;
  if (role === 'traffic-manager') return { decisionEndpoints: [local()], urlGroups: [], duplicateUrls: peers.map((p) => tcp(p, 'amqp')) };
  // All-in-one HA: the embedded traffic managers form a mesh (reference §3.7); a single node keeps defaults.
  if (role === 'all-in-one' && peers.length > 0) {
    const all = index.members(role, dc);
    return {
      decisionEndpoints: [local()],
      urlGroups: all.map((m) => ({ urls: [tcp(m, 'binary')], authUrls: [ssl(m, 'binary_ssl')] })),
      duplicateUrls: peers.map((p) => tcp(p, 'amqp')),
    };
  }
  return null;
}
