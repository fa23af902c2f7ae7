import { describe, expect, it } from 'vitest';
import { alternate, gapText, median, rotated, summarise } from '../../../bench/alternating.js';

describe('floor and commands measured in alternation', () => {
  it('takes the middle figure, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/median of nothing/);
  });

  it('turns the order one step each round, so each contender leads once in n rounds', () => {
    expect([0, 1, 2, 3].map((r) => rotated(['floor', 'no-op', 'plan'], r))).toEqual([
      ['floor', 'no-op', 'plan'], ['no-op', 'plan', 'floor'], ['plan', 'floor', 'no-op'], ['floor', 'no-op', 'plan'],
    ]);
  });

  it('gives each command the median of its gaps to the floor of the same round, not the gap of the medians', () => {
    const ms = (x: number) => ({ ms: x });
    // Round 1 is slow for both sides: the gaps are 0.2, 0.2, 0.9; the medians' gap would be 1.3 - 1.0 = 0.3.
    const [floor, noop] = summarise(['floor', 'no-op'], [[ms(1.0), ms(1.2)], [ms(3.0), ms(3.2)], [ms(0.4), ms(1.3)]]);
    expect(floor).toMatchObject({ label: 'floor', medianMs: 1.0, medianGapMs: 0 });
    expect(noop!.medianMs).toBe(1.3);
    expect(noop!.medianGapMs).toBeCloseTo(0.2, 9);
    expect(noop!.runs.map((r) => r.ms)).toEqual([1.2, 3.2, 1.3]);
  });

  it('prints a gap with its sign, in the bench\'s own format', () => {
    const [, slower, faster] = summarise(['floor', 'slower', 'faster'], [[{ ms: 1000 }, { ms: 1840 }, { ms: 900 }]]);
    const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
    expect([gapText(slower!, seconds), gapText(faster!, seconds)]).toEqual(['+0.84 s', '-0.10 s']);
  });

  it('runs one contender at a time in the rotated order and files each figure under its own contender', async () => {
    const order: string[] = [];
    const contender = (label: string, cost: number) => ({
      label,
      run: async () => {
        order.push(label);
        await Promise.resolve();
        return { ms: cost };
      },
    });
    const heard: string[] = [];
    const series = await alternate(2, contender('floor', 10), [contender('no-op', 12), contender('status', 11)],
      (round, label, f) => heard.push(`${round} ${label} ${f.ms}`));
    expect(order).toEqual(['floor', 'no-op', 'status', 'no-op', 'status', 'floor']);
    expect(heard).toEqual(['0 floor 10', '0 no-op 12', '0 status 11', '1 no-op 12', '1 status 11', '1 floor 10']);
    expect(series.map((x) => [x.label, x.medianMs, x.medianGapMs])).toEqual([['floor', 10, 0], ['no-op', 12, 2], ['status', 11, 1]]);
  });
});
