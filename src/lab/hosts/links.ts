import { UsageError } from '../../errors.js';
import { PREFIX_LENGTH } from './addresses.js';
import { macFor } from './mac.js';
import { run, runOk } from './run.js';

interface IpAddrInfo {
  readonly ifname: string;
  readonly addr_info?: readonly { readonly family: string; readonly local: string; readonly prefixlen: number }[];
}

/** Names of all network interfaces in the controller's namespace. */
export async function linkNames(): Promise<Set<string>> {
  const links = JSON.parse(await runOk('ip', ['-j', 'link', 'show'])) as { ifname: string }[];
  return new Set(links.map((l) => l.ifname));
}

/** Interfaces other than `ownBridge` holding an IPv4 address in the lab's /24 (a clash would misroute the lab). */
export async function subnetUsers(prefix: string, ownBridge: string): Promise<string[]> {
  const ifaces = JSON.parse(await runOk('ip', ['-j', '-4', 'addr', 'show'])) as IpAddrInfo[];
  return ifaces
    .filter((i) => i.ifname !== ownBridge)
    .filter((i) => (i.addr_info ?? []).some((a) => a.local.startsWith(`${prefix}.`)))
    .map((i) => i.ifname);
}

/**
 * Creates the lab bridge with the controller's address, unless it exists already. An existing bridge is only
 * reused when the lab's state recorded it: an interface of that name that we did not create is left alone.
 */
export async function ensureBridge(bridge: string, address: string, recorded: boolean): Promise<void> {
  const names = await linkNames();
  if (names.has(bridge) && !recorded) {
    throw new UsageError(
      `network interface ${bridge} exists but this lab did not create it`,
      'choose another lab name with --name, or remove that interface if it is a leftover',
    );
  }
  const commands = names.has(bridge) ? [] : [`link add ${bridge} type bridge`];
  // A bridge otherwise takes the lowest MAC of its ports and changes it as hosts come and go, which leaves
  // every host's ARP entry for the controller stale for seconds. A fixed MAC keeps them valid.
  commands.push(`link set ${bridge} address ${macFor(address)}`, `addr replace ${address}/${PREFIX_LENGTH} dev ${bridge}`, `link set ${bridge} up`);
  await runOk('ip', ['-batch', '-'], { input: `${commands.join('\n')}\n` });
}

/** The internal bridge of a lab with a bastion: no address of the controller's on it, a fixed MAC all the same. */
export async function ensureInnerBridge(bridge: string, macSeed: string, recorded: boolean): Promise<void> {
  const names = await linkNames();
  if (names.has(bridge) && !recorded) {
    throw new UsageError(`network interface ${bridge} exists but this lab did not create it`, 'choose another lab name with --name');
  }
  const commands = names.has(bridge) ? [] : [`link add ${bridge} type bridge`];
  commands.push(`link set ${bridge} address ${macFor(macSeed)}`, `link set ${bridge} up`);
  await runOk('ip', ['-batch', '-'], { input: `${commands.join('\n')}\n` });
}

/**
 * Behind a bastion the controller must not reach the hosts. With no route of its own for their subnet, packets
 * for it would follow the machine's default route out of the machine: an `unreachable` route fails them at once.
 */
export async function blockSubnet(cidr: string): Promise<void> {
  await runOk('ip', ['route', 'replace', 'unreachable', cidr]);
}

export async function unblockSubnet(cidr: string): Promise<void> {
  const shown = await runOk('ip', ['route', 'show', 'type', 'unreachable', cidr]);
  if (shown.trim() !== '') await runOk('ip', ['route', 'del', 'unreachable', cidr]);
}

/** Plugs each host's controller-side veth into the bridge and brings it up, in one `ip` process. */
export async function attachVeths(bridge: string, veths: readonly string[]): Promise<void> {
  if (veths.length === 0) return;
  const lines = veths.map((v) => `link set ${v} master ${bridge} up`);
  await runOk('ip', ['-batch', '-'], { input: `${lines.join('\n')}\n` });
}

/**
 * Deletes the named links that still exist. A veth also vanishes by itself once its host's network namespace is
 * freed (asynchronously after the host's last process died), so a link missing by now is fine.
 */
export async function deleteLinks(names: readonly string[]): Promise<void> {
  const present = await linkNames();
  for (const name of names.filter((n) => present.has(n))) {
    const result = await run('ip', ['link', 'del', name]);
    if (result.code !== 0 && !/Cannot find device/.test(result.stderr)) {
      throw new UsageError(`cannot delete network interface ${name}: ${result.stderr.trim()}`);
    }
  }
}

/** Waits until none of the named links exist (a dying namespace releases its veth shortly after). */
export async function waitLinksGone(names: readonly string[], timeoutMs = 5000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const present = await linkNames();
    const left = names.filter((n) => present.has(n));
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((r) => setTimeout(r, 50));
  }
}
