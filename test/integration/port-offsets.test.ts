/** The integration tier's port offsets for nodes started side by side: no port handed out twice, under any offsets. */
import { describe, expect, it } from 'vitest';
import { freePortOffset, WSO2_BASE_PORTS } from './support/ports.js';

describe('freePortOffset', () => {
  it('never hands out a port twice, though different offsets can map two base ports onto one', async () => {
    const ports: number[] = [];
    for (let i = 0; i < 60; i++) {
      const offset = await freePortOffset();
      ports.push(...WSO2_BASE_PORTS.map((p) => p + offset));
    }
    expect(new Set(ports).size).toBe(ports.length);
  });
});
