/**
 * `lab up --controller-mbit N`: the controller's link made the bottleneck, as a controller far from its
 * datacenter would see it. A token bucket (tc tbf) on the egress of the lab bridge's own interface shapes only what
 * the controller sends into the lab: traffic between hosts is forwarded from veth to veth and never passes the
 * bridge device's qdisc, so a host copying from a peer is not capped. The qdisc goes with the bridge at `lab down`;
 * a `lab up` without the option removes one it recorded.
 */
import { run, runOk } from './run.js';

/** tc's argv for the cap. burst holds 20 ms at the rate (at least 64 KiB, one GSO packet); latency bounds the queue. */
export function capArgs(bridge: string, mbit: number): string[] {
  const burstBytes = Math.max(64 * 1024, Math.ceil((mbit * 1_000_000) / 8 / 50));
  return ['qdisc', 'replace', 'dev', bridge, 'root', 'tbf', 'rate', `${mbit}mbit`, 'burst', String(burstBytes), 'latency', '100ms'];
}

export function uncapArgs(bridge: string): string[] {
  return ['qdisc', 'del', 'dev', bridge, 'root'];
}

/** Whether `tc qdisc show dev BRIDGE` output holds our cap, and at what rate (tc prints `rate 100Mbit`). */
export function parseCap(qdiscShow: string): { mbit: number } | undefined {
  const m = /qdisc tbf \S+ root .*?\brate (\d+(?:\.\d+)?)([KMG]?)bit/.exec(qdiscShow);
  if (!m) return undefined;
  const scale = { '': 1e-6, K: 1e-3, M: 1, G: 1000 }[m[2] as '' | 'K' | 'M' | 'G'];
  return { mbit: Number(m[1]) * scale };
}

export async function capControllerLink(bridge: string, mbit: number): Promise<void> {
  await runOk('tc', capArgs(bridge, mbit));
}

/** Removes the cap; a bridge without one (or already gone) is fine. */
export async function uncapControllerLink(bridge: string): Promise<void> {
  const r = await run('tc', uncapArgs(bridge));
  if (r.code !== 0 && !/Cannot find device|No such file|Cannot delete qdisc with handle of zero|Invalid handle/i.test(r.stderr)) {
    await runOk('tc', uncapArgs(bridge));
  }
}

/** The cap in force on the bridge, read back from the kernel. */
export async function controllerCap(bridge: string): Promise<{ mbit: number } | undefined> {
  return parseCap(await runOk('tc', ['qdisc', 'show', 'dev', bridge]));
}

/** Bytes the controller has sent into the lab through the bridge (the capped direction). */
export async function controllerTxBytes(bridge: string): Promise<number> {
  return Number((await runOk('cat', [`/sys/class/net/${bridge}/statistics/tx_bytes`])).trim());
}
