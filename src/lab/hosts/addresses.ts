import { UsageError } from '../../errors.js';

/** The lab network: always a /24, so a host's last octet names it uniquely (veth names rely on it). */
export interface Subnet {
  /** First three octets, e.g. `10.213.7`. */
  readonly prefix: string;
  readonly cidr: string;
}

export const DEFAULT_SUBNET = '10.213.7.0/24';
export const PREFIX_LENGTH = 24;
/** Hosts get .11, .12, ... in the order given; .1 is the bridge (the controller's side). */
export const FIRST_HOST_OCTET = 11;
export const LAST_HOST_OCTET = 254;

function octets(ip: string): number[] | undefined {
  const parts = ip.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p))) return undefined;
  const nums = parts.map(Number);
  return nums.every((n) => n <= 255) ? nums : undefined;
}

export function parseSubnet(cidr: string): Subnet {
  const [ip, bits] = cidr.split('/');
  const nums = ip === undefined ? undefined : octets(ip);
  if (!nums || bits !== '24' || nums[3] !== 0) {
    throw new UsageError(`subnet "${cidr}" is not an IPv4 /24 such as ${DEFAULT_SUBNET}`);
  }
  const [a, b] = nums as [number, number, number, number];
  const isPrivate = a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  if (!isPrivate) {
    throw new UsageError(`subnet "${cidr}" is not private`, 'use a /24 inside 10/8, 172.16/12 or 192.168/16');
  }
  return { prefix: nums.slice(0, 3).join('.'), cidr };
}

export function bridgeAddress(subnet: Subnet): string {
  return `${subnet.prefix}.1`;
}

export function isInSubnet(address: string, subnet: Subnet): boolean {
  const nums = octets(address);
  return nums !== undefined && nums.slice(0, 3).join('.') === subnet.prefix;
}

/**
 * Deterministic addresses: a host listed with an `address` keeps it (it must be a host address in the subnet),
 * the others take .11, .12, ... by position, skipping addresses already taken.
 */
export function allocateAddresses(
  hosts: readonly { readonly name: string; readonly address?: string }[],
  subnet: Subnet,
): string[] {
  const fixed = new Set<string>();
  for (const host of hosts) {
    if (host.address === undefined) continue;
    const last = Number(host.address.split('.')[3]);
    if (!isInSubnet(host.address, subnet) || last < 2 || last > LAST_HOST_OCTET) {
      throw new UsageError(`host ${host.name}: address ${host.address} is not a host address inside ${subnet.cidr}`);
    }
    if (fixed.has(host.address)) throw new UsageError(`host ${host.name}: address ${host.address} is used twice`);
    fixed.add(host.address);
  }
  const taken = new Set(fixed);
  return hosts.map((host, index) => {
    if (host.address !== undefined) return host.address;
    // Position decides the address (.11 + index); a clash with a fixed address moves it up to the next free one.
    let octet = FIRST_HOST_OCTET + index;
    while (taken.has(`${subnet.prefix}.${octet}`)) octet++;
    if (octet > LAST_HOST_OCTET) throw new UsageError(`too many hosts for ${subnet.cidr}`);
    const address = `${subnet.prefix}.${octet}`;
    taken.add(address);
    return address;
  });
}
