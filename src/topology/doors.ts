import type { Member, MemberIndex } from './members.js';

/**
 * A "door": how other nodes and clients reach a group of nodes. Through a load balancer (ours, or an
 * explicit public_hostname assumed to front the same ports as the load-balancer role's) or, without one,
 * straight at the first node on its own (offset) port.
 */
export interface Door {
  readonly host: string;
  readonly viaLoadBalancer: boolean;
  /** The port of a service the balancer listens for on `lbPort` and a node serves on its port named `nodePort`. */
  port(lbPort: number, nodePort: string): number;
}

function door(index: MemberIndex, dc: string | null, members: readonly Member[], name: string | null): Door | null {
  const lb = index.members('load-balancer', dc)[0];
  const host = name ?? lb?.address ?? members[0]?.address;
  if (host === undefined) return null;
  const viaLb: Door = { host, viaLoadBalancer: true, port: (lbPort) => lbPort };
  if (lb && (host === lb.address || host === lb.host.name)) return viaLb;
  // A name that is one of the nodes themselves (the default without a load balancer): that node's own port.
  const direct = members.find((m) => m.address === host || m.host.name === host);
  if (direct) return { host, viaLoadBalancer: false, port: (_lbPort, nodePort) => direct.port(nodePort) };
  // Any other name is an outside load balancer, assumed to expose the same ports as ours.
  return viaLb;
}

const explicitName = (member: Member | undefined, key: 'control_plane' | 'gateway' | 'key_manager'): string | null =>
  member ? member.node.vars.public_hostname[key] : null;

/** Control planes (or all-in-one nodes) serving datacenter `dc`: portals, event hub, resident key manager. */
export function controlPlaneDoor(index: MemberIndex, dc: string | null): { door: Door | null; members: Member[]; dc: string | null } {
  const found = index.firstPresent(['control-plane', 'all-in-one'], dc);
  return { ...found, door: door(index, found.dc, found.members, explicitName(found.members[0], 'control_plane')) };
}

/** Nodes that carry API traffic in `dc`: gateways, else all-in-one nodes (their embedded gateway). */
export function gatewayMembers(index: MemberIndex, dc: string | null): Member[] {
  const gws = index.members('gateway', dc);
  return gws.length ? gws : index.members('all-in-one', dc);
}

export function gatewayDoor(index: MemberIndex, dc: string | null): Door | null {
  const members = gatewayMembers(index, dc);
  return door(index, dc, members, explicitName(members[0], 'gateway'));
}

export function keyManagerDoor(index: MemberIndex, dc: string | null): Door | null {
  const found = index.firstPresent(['key-manager'], dc);
  return found.members.length ? door(index, found.dc, found.members, explicitName(found.members[0], 'key_manager')) : null;
}

/** `https://host[:port]path`, leaving out the default port. */
export function url(scheme: 'http' | 'https' | 'ws' | 'wss', host: string, port: number, path = ''): string {
  const dflt = scheme === 'https' || scheme === 'wss' ? 443 : 80;
  return `${scheme}://${bracket(host)}${port === dflt ? '' : `:${port}`}${path}`;
}

/** IPv6 literals need brackets inside URLs. */
export const bracket = (host: string): string => (host.includes(':') && !host.startsWith('[') ? `[${host}]` : host);

/** The admin services behind a door: the balancer's `lbPort` (default: the portals port), or the node's https port. */
export const servicesUrl = (index: MemberIndex, d: Door, lbPort: number = index.lbPort('portals')): string =>
  url('https', d.host, d.port(lbPort, 'https'), '/services/');

/** Broker and data-receiver URLs always carry their port. */
export const tcp = (m: Member, port: string): string => `tcp://${bracket(m.address)}:${m.port(port)}`;
export const ssl = (m: Member, port: string): string => `ssl://${bracket(m.address)}:${m.port(port)}`;
