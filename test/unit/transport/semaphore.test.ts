import { describe, expect, it } from 'vitest';
import { Semaphore } from '../../../src/transport/semaphore.js';

describe('Semaphore', () => {
  it('never runs more than its size at once and keeps results in order', async () => {
    let running = 0;
    let peak = 0;
    const s = new Semaphore(3);
    const out = await Promise.all(Array.from({ length: 20 }, (_, i) => s.run(async () => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 2 + (i % 3)));
      running--;
      return i * 2;
    })));
    expect(peak).toBe(3);
    expect(out).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
  });

  it('releases its slot when the work throws', async () => {
    const s = new Semaphore(1);
    await expect(s.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(s.run(async () => 'next')).resolves.toBe('next');
    expect(() => new Semaphore(0)).toThrow(/positive integer/);
  });
});
