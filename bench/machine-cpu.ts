/**
 * The whole machine's CPU over a stretch of a bench (the kernel's counters in /proc/stat, proc(5)): lab hosts are
 * namespaces on this one kernel, so their sshd, unzip, sudo and JVMs count here beside the controller. A stretch that
 * kept every core busy was bound by this machine's CPU, not by the link or by waiting.
 */
import { readFileSync } from 'node:fs';

export interface CpuSample { readonly busy: number; readonly all: number }
export interface CpuFigure { readonly busySeconds: number; readonly availableSeconds: number }

/** The `cpu` line's jiffies: busy is everything but idle and iowait (guest time is already inside user and nice). */
export function cpuSample(stat = readFileSync('/proc/stat', 'utf8')): CpuSample {
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
    stat.slice(0, stat.indexOf('\n')).trim().split(/\s+/).slice(1).map(Number);
  return { busy: user + nice + system + irq + softirq + steal, all: user + nice + system + idle + iowait + irq + softirq + steal };
}

const JIFFY_SECONDS = 0.01; // USER_HZ is 100 on Linux (sysconf(_SC_CLK_TCK))

export function cpuSince(before: CpuSample, after = cpuSample()): CpuFigure {
  return { busySeconds: (after.busy - before.busy) * JIFFY_SECONDS, availableSeconds: (after.all - before.all) * JIFFY_SECONDS };
}

/** `machine CPU 55.1 of 57.8 CPU-s busy (95 %)`. */
export function cpuLine(f: CpuFigure): string {
  const share = f.availableSeconds > 0 ? Math.round((100 * f.busySeconds) / f.availableSeconds) : 0;
  return `machine CPU ${f.busySeconds.toFixed(1)} of ${f.availableSeconds.toFixed(1)} CPU-s busy (${share} %)`;
}

export interface QuietFigure {
  readonly waitedMs: number;
  readonly windowMs: number;
  /** The machine's busy share over the last window (0-1). */
  readonly busyShare: number;
  readonly quiet: boolean;
}

/**
 * Waits until the machine is quiet: busy under `share` of its CPU over a whole `windowMs`, sampled once a second, for
 * at most `deadlineMs`. After a cold run the lab's servers take a while to settle on these shared cores; a no-op
 * measured in that stretch measures their settling (its health round asks every one of them) more than the run. Gives
 * up at the deadline and says so, so a machine busy with other work still gets its figures.
 */
export async function waitForQuiet(share = 0.5, windowMs = 5_000, deadlineMs = 180_000, sample = () => cpuSample(),
  sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))): Promise<QuietFigure> {
  const steps = Math.max(1, Math.round(windowMs / 1000));
  const window: CpuSample[] = [sample()];
  for (let waitedMs = 1000; ; waitedMs += 1000) {
    await sleep(1000);
    window.push(sample());
    if (window.length > steps + 1) window.shift();
    const f = cpuSince(window[0]!, window[window.length - 1]!);
    const busyShare = f.availableSeconds > 0 ? f.busySeconds / f.availableSeconds : 0;
    const full = window.length === steps + 1;
    if ((full && busyShare < share) || waitedMs >= deadlineMs) return { waitedMs, windowMs, busyShare, quiet: full && busyShare < share };
  }
}

/** `machine quiet (23 % busy over 5 s) after 14 s`, or `machine still 71 % busy over 5 s after 180 s`. */
export function quietLine(q: QuietFigure): string {
  const busy = `${Math.round(q.busyShare * 100)} % busy over ${Math.round(q.windowMs / 1000)} s`;
  return `${q.quiet ? `machine quiet (${busy})` : `machine still ${busy}`} after ${Math.round(q.waitedMs / 1000)} s`;
}
