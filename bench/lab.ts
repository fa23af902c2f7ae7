/**
 * Lab host figures (prints numbers, asserts nothing): `lab up` fresh and re-run for 8 and 32 hosts, `lab down`,
 * reviving one killed host, and memory per idle host. Run as root: `npx tsx bench/lab.ts`.
 */
import { readFileSync } from 'node:fs';
import { labDown, labUp, type LabState } from '../src/lab/hosts/index.js';

const LAB = { name: 'bench' } as const;
const SUBNET = '10.213.202.0/24';

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = process.hrtime.bigint();
  const result = await fn();
  return [result, Number(process.hrtime.bigint() - start) / 1e6];
}

/** kB from /proc/PID/smaps_rollup (Pss, Rss) for every process of every host (sshd and its unshare parent). */
function memory(state: LabState): { pssKb: number; rssKb: number } {
  let pssKb = 0;
  let rssKb = 0;
  for (const pid of state.hosts.flatMap((h) => [h.unshare.pid, h.sshd!.pid])) {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    pssKb += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    rssKb += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
  }
  return { pssKb, rssKb };
}

const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function benchSize(hosts: number): Promise<void> {
  await labDown(LAB);
  const [state, fresh] = await timed(() => labUp({ ...LAB, hosts, subnet: SUBNET }));
  const [, rerun] = await timed(() => labUp({ ...LAB, hosts, subnet: SUBNET }));
  const victim = state.hosts[0]!;
  process.kill(victim.sshd!.pid, 'SIGKILL');
  const [revived, revive] = await timed(() => labUp({ ...LAB, hosts, subnet: SUBNET }));
  const mem = memory(revived);
  const [, down] = await timed(() => labDown(LAB));
  console.log(
    `${String(hosts).padStart(2)} hosts: up fresh ${fmt(fresh)}, up re-run ${fmt(rerun)}, revive 1 ${fmt(revive)}, ` +
      `down ${fmt(down)}; memory per idle host PSS ${(mem.pssKb / hosts / 1024).toFixed(2)} MB ` +
      `(RSS ${(mem.rssKb / hosts / 1024).toFixed(2)} MB, sshd + its unshare parent)`,
  );
}

try {
  for (const size of [8, 32]) await benchSize(size);
} finally {
  await labDown(LAB);
}
