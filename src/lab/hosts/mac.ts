/**
 * A locally administered MAC made of an IPv4 address (10.213.7.11 → 02:4c:0a:d5:07:0b). Hosts and the bridge keep
 * the same MAC across restarts, as a VM keeps its NIC, so neighbours' ARP caches never point at a vanished MAC.
 */
export function macFor(address: string): string {
  const hex = address.split('.').map((o) => Number(o).toString(16).padStart(2, '0'));
  return ['02', '4c', ...hex].join(':');
}
