import { describe, expect, it } from 'vitest';
import { cpuLine, cpuSample, cpuSince, quietLine, waitForQuiet } from '../../../bench/machine-cpu.js';

// The first lines of a /proc/stat (proc(5)): user nice system idle iowait irq softirq steal guest guest_nice.
const stat = (user: number, idle: number, iowait: number) =>
  `cpu  ${user} 5 300 ${idle} ${iowait} 0 20 0 40 0\ncpu0 1 2 3 4 5 6 7 8 9 10\nintr 12345\n`;

describe('machine CPU from /proc/stat', () => {
  it('counts everything but idle and iowait as busy, and guest time once (it is inside user)', () => {
    expect(cpuSample(stat(1000, 4000, 100))).toEqual({ busy: 1000 + 5 + 300 + 20, all: 1000 + 5 + 300 + 4000 + 100 + 20 });
  });

  it('gives a stretch in CPU-seconds: jiffies of 10 ms', () => {
    const f = cpuSince(cpuSample(stat(1000, 4000, 100)), cpuSample(stat(1900, 4050, 150)));
    expect(f.busySeconds).toBeCloseTo(9, 6);
    expect(f.availableSeconds).toBeCloseTo(10, 6);
    expect(cpuLine(f)).toBe('machine CPU 9.0 of 10.0 CPU-s busy (90 %)');
  });

  it('reads this machine: busy never exceeds what was available', () => {
    const before = cpuSample();
    const f = cpuSince(before);
    expect(f.busySeconds).toBeGreaterThanOrEqual(0);
    expect(f.busySeconds).toBeLessThanOrEqual(f.availableSeconds);
  });
});

describe('waiting for a quiet machine', () => {
  /** Samples whose busy jiffies grow by `busy[i]` out of 200 (2 cores) in second i. */
  const samples = (busy: number[]) => {
    let i = 0;
    let acc = { busy: 0, all: 0 };
    return () => {
      const s = acc;
      acc = { busy: acc.busy + (busy[i] ?? 0), all: acc.all + 200 };
      i++;
      return s;
    };
  };
  const noSleep = async () => {};

  it('returns once a whole window is under the share, with the seconds it waited', async () => {
    // 3 s at 100 %, then 10 %: a 2 s window is quiet once it holds only quiet seconds.
    const q = await waitForQuiet(0.5, 2_000, 60_000, samples([200, 200, 200, 20, 20, 20, 20]), noSleep);
    expect(q).toEqual({ waitedMs: 5_000, windowMs: 2_000, busyShare: 0.1, quiet: true });
    expect(quietLine(q)).toBe('machine quiet (10 % busy over 2 s) after 5 s');
  });

  it('does not call a window quiet before it is whole', async () => {
    const q = await waitForQuiet(0.5, 3_000, 60_000, samples([0, 0, 0, 0]), noSleep);
    expect(q.waitedMs).toBe(3_000);
    expect(q.quiet).toBe(true);
  });

  it('gives up at the deadline and says the machine is still busy', async () => {
    const q = await waitForQuiet(0.5, 2_000, 4_000, samples(Array(10).fill(180)), noSleep);
    expect(q).toEqual({ waitedMs: 4_000, windowMs: 2_000, busyShare: 0.9, quiet: false });
    expect(quietLine(q)).toBe('machine still 90 % busy over 2 s after 4 s');
  });
});
