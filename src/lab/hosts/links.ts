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

/** Written into a lab bridge's alias: which state directory's lab made it, so a leftover can be traced to its owner. */
const OWNER_PREFIX = 'apim-deploy-lab:';
/** IFALIASZ - 1. */
const ALIAS_MAX = 255;

/** The state directory named in a bridge's alias, when an apim-deploy lab made it (undefined for any other interface). */
export async function bridgeOwner(bridge: string): Promise<string | undefined> {
  const shown = await run('ip', ['-j', 'link', 'show', 'dev', bridge]);
  if (shown.code !== 0) return undefined;
  const alias = (JSON.parse(shown.stdout) as { ifalias?: string }[])[0]?.ifalias ?? '';
  return alias.startsWith(OWNER_PREFIX) ? alias.slice(OWNER_PREFIX.length) : undefined;
}

/**
 * Refuses a lab bridge name that an interface already holds, unless the lab's state recorded it: an interface we did
 * not create is left alone. Run before the lab's state is first written, so a refused `lab up` records nothing that
 * a later `lab down` would delete.
 */
export async function refuseTakenBridge(bridge: string, owner: { stateDir: string; recorded: boolean }): Promise<void> {
  if (owner.recorded || !(await linkNames()).has(bridge)) return;
  const holder = await bridgeOwner(bridge);
  if (holder !== undefined && holder !== owner.stateDir) {
    throw new UsageError(
      `network interface ${bridge} belongs to the lab whose state is in ${holder}, not to this one`,
      `if that lab is a leftover, run: apim-deploy lab down --state-dir ${holder}; or choose another lab name with --name`,
    );
  }
  throw new UsageError(
    `network interface ${bridge} exists but this lab did not create it`,
    'choose another lab name with --name, or remove that interface if it is a leftover',
  );
}

/**
 * Creates a lab bridge (with the controller's address on the one that has it), unless it exists already (checked by
 * `refuseTakenBridge` first). The alias names the lab's state directory, so the next lab that meets a leftover can say
 * whose it is.
 */
async function ensureLabBridge(bridge: string, mac: string, address: string | undefined, stateDir: string): Promise<void> {
  const names = await linkNames();
  const commands = names.has(bridge) ? [] : [`link add ${bridge} type bridge`];
  // A bridge otherwise takes the lowest MAC of its ports and changes it as hosts come and go, which leaves
  // every host's ARP entry for the controller stale for seconds. A fixed MAC keeps them valid.
  commands.push(`link set ${bridge} address ${mac}`, ...(address ? [`addr replace ${address}/${PREFIX_LENGTH} dev ${bridge}`] : []), `link set ${bridge} up`);
  await runOk('ip', ['-batch', '-'], { input: `${commands.join('\n')}\n` });
  // Its own command: a state directory may hold spaces, which `ip -batch` would split. Linux keeps at most 255 bytes
  // of alias; a longer path is not written at all (a cut one would name another directory).
  const alias = `${OWNER_PREFIX}${stateDir}`;
  if (Buffer.byteLength(alias) <= ALIAS_MAX) await runOk('ip', ['link', 'set', 'dev', bridge, 'alias', alias]);
}

/** The lab bridge, carrying the controller's address. */
export async function ensureBridge(bridge: string, address: string, stateDir: string): Promise<void> {
  await ensureLabBridge(bridge, macFor(address), address, stateDir);
}

/** The internal bridge of a lab with a bastion: no address of the controller's on it, a fixed MAC all the same. */
export async function ensureInnerBridge(bridge: string, macSeed: string, stateDir: string): Promise<void> {
  await ensureLabBridge(bridge, macFor(macSeed), undefined, stateDir);
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
