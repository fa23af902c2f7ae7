/** The integration tier's port offsets for nodes started side by side: no port handed out twice, under any offsets. */
import { describe, expect, it } from 'vitest';
import { freePortOffset } from './support/ports.js';

describe('freePortOffset', () => {
  it('never hands out a port twice, though different offsets can map two base ports onto one', async () => {
    const base = [9443, 9763, 8280, 8243, 9099, 8099, 5672, 9611, 9711];
    const ports: number[] = [];
    for (let i = 0; i < 60; i++) {
      const offset = await freePortOffset(base);
      ports.push(...base.map((p) => p + offset));
    }
    expect(new Set(ports).size).toBe(ports.length);
  });
});
