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
