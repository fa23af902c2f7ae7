/**
 * Where each lab host sits. Without a bastion every host is on the lab bridge, which carries the controller's
 * address. With one (`lab up --bastion`) the hosts sit on an internal bridge with no controller address and an
 * `unreachable` route on the controller for their subnet (so nothing the controller sends there ever leaves the
 * machine), and only the bastion host has a leg on the controller's bridge, in a front subnet of its own.
 */
import { UsageError } from '../../errors.js';
import { allocateAddresses, bridgeAddress, parseSubnet, type Subnet } from './addresses.js';
import type { WantedHost } from './inventory-hosts.js';
import { bridgeName, innerBridgeName, labTag, vethName } from './names.js';
import type { LabBastion } from './state.js';

export const BASTION_NAME = 'bastion';
/** The bastion's leg on the internal network: .1 stays free there, .11 and up are the hosts'. */
export const BASTION_INNER_OCTET = 2;
const BASTION_FRONT_OCTET = 11;

export interface PlannedHost {
  readonly name: string;
  /** The address the controller (or, behind a bastion, the bastion) reaches it at. */
  readonly address: string;
  readonly veth: string;
  readonly dir: string;
  /** A bastion's second link, on the internal bridge. */
  readonly inner?: { readonly address: string; readonly veth: string };
  /** Reached only through the bastion. */
  readonly internal: boolean;
}

export interface LabNetwork {
  readonly subnet: Subnet;
  /** The bridge the controller has an address on. */
  readonly bridge: string;
  readonly bridgeAddress: string;
  readonly bastion?: LabBastion;
}

/** A front subnet that differs from the hosts' one: the third octet moved by 128 (10.213.7.0/24 → 10.213.135.0/24). */
export function defaultBastionSubnet(subnet: Subnet): string {
  const [a, b, c] = subnet.prefix.split('.').map(Number) as [number, number, number];
  return `${a}.${b}.${(c + 128) % 256}.0/24`;
}

export function planNetwork(labName: string, subnet: Subnet, bastion: { subnet?: string } | undefined): LabNetwork {
  const bridge = bridgeName(labName);
  if (!bastion) return { subnet, bridge, bridgeAddress: bridgeAddress(subnet) };
  const front = parseSubnet(bastion.subnet ?? defaultBastionSubnet(subnet));
  if (front.prefix === subnet.prefix) throw new UsageError(`the bastion's subnet ${front.cidr} is the hosts' subnet`, 'give --bastion-subnet another /24');
  return {
    subnet, bridge, bridgeAddress: bridgeAddress(front),
    bastion: { subnet: front.cidr, innerBridge: innerBridgeName(labName) },
  };
}

export function planHosts(labName: string, net: LabNetwork, wanted: readonly WantedHost[], dirOf: (host: string) => string): PlannedHost[] {
  if (net.bastion && wanted.some((w) => w.name === BASTION_NAME)) {
    throw new UsageError(`host name "${BASTION_NAME}" is the bastion's with --bastion`, 'rename that host');
  }
  const bastionInner = `${net.subnet.prefix}.${BASTION_INNER_OCTET}`;
  const all = net.bastion ? [...wanted, { name: BASTION_NAME, address: bastionInner }] : wanted;
  const addresses = allocateAddresses(all, net.subnet);
  const hosts: PlannedHost[] = wanted.map((w, i) => {
    const address = addresses[i] as string;
    return { name: w.name, address, veth: vethName(labName, address), dir: dirOf(w.name), internal: net.bastion !== undefined };
  });
  if (!net.bastion) return hosts;
  const front = `${parseSubnet(net.bastion.subnet).prefix}.${BASTION_FRONT_OCTET}`;
  return [...hosts, {
    name: BASTION_NAME, address: front, veth: `v${labTag(labName)}-b`, dir: dirOf(BASTION_NAME), internal: false,
    inner: { address: bastionInner, veth: vethName(labName, bastionInner) },
  }];
}

/** Which bridge each controller-side veth joins. */
export function vethBridges(net: LabNetwork, hosts: readonly PlannedHost[]): { bridge: string; veths: string[] }[] {
  const inner = net.bastion?.innerBridge;
  if (!inner) return [{ bridge: net.bridge, veths: hosts.map((h) => h.veth) }];
  return [
    { bridge: net.bridge, veths: hosts.filter((h) => !h.internal).map((h) => h.veth) },
    { bridge: inner, veths: hosts.flatMap((h) => (h.internal ? [h.veth] : h.inner ? [h.inner.veth] : [])) },
  ];
}
