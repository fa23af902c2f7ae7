import { describe, expect, it } from 'vitest';
import { cpuLine, cpuSample, cpuSince } from '../../../bench/machine-cpu.js';

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
