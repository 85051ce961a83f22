import { describe, expect, it } from 'vitest';
import { blockNetRatios, lowerQuartile, summarize } from '../src/stats.js';

describe('lowerQuartile', () => {
  it('is the value a quarter of the way up the sorted list, whatever the order', () => {
    expect(lowerQuartile([9, 1, 5, 3, 7])).toBe(3);
    expect(lowerQuartile([4])).toBe(4);
    expect(lowerQuartile([])).toBeNaN();
  });
});

describe('summarize', () => {
  it('gives the median, the range and the count, or nothing for no values', () => {
    expect(summarize([0.5, 0.2, 0.9])).toEqual({ median: 0.5, min: 0.2, max: 0.9, n: 3 });
    expect(summarize([])).toBeUndefined();
  });
});

describe('blockNetRatios', () => {
  const rounds = (n: number, value: (i: number) => number): number[] => Array.from({ length: n }, (_, i) => value(i));

  it('takes (a − base) ÷ (b − base) in each of 10 blocks once there are enough rounds', () => {
    // base 100, b 400, a 200: net 100 ÷ 300 in every block.
    const ratios = blockNetRatios(rounds(100, () => 200), rounds(100, () => 400), rounds(100, () => 100));
    expect(ratios).toHaveLength(10);
    for (const r of ratios) expect(r).toBeCloseTo(1 / 3, 12);
  });

  it('pairs rounds: a slow stretch that hits every side alike leaves the ratio unchanged', () => {
    // Rounds 40–59 run 2× slower for every side.
    const slow = (i: number): number => (i >= 40 && i < 60 ? 2 : 1);
    const ratios = blockNetRatios(rounds(100, (i) => 200 * slow(i)), rounds(100, (i) => 500 * slow(i)), rounds(100, (i) => 50 * slow(i)));
    for (const r of ratios) expect(r).toBeCloseTo(150 / 450, 12);
  });

  it('leaves out the blocks where the harness ran slow, where the ratios shrink toward 1×', () => {
    // Rounds 60–99 run with 300 ns more per batch for every side, the harness (speed) included, as
    // the VM's slow stretches do: there a ÷ b would read 500 ÷ 700; the undisturbed blocks say 200 ÷ 400.
    const extra = (i: number): number => (i >= 60 ? 300 : 0);
    const [a, b, harness] = [200, 400, 100].map((t) => rounds(100, (i) => t + extra(i)));
    const ratios = blockNetRatios(a!, b!, rounds(100, () => 0), harness);
    expect(ratios).toHaveLength(6);
    for (const r of ratios) expect(r).toBeCloseTo(0.5, 12);
    // Without a harness series every block counts.
    expect(blockNetRatios(a!, b!, rounds(100, () => 0))).toHaveLength(10);
  });

  it('chooses blocks by the harness alone, not by either side', () => {
    // b is fast in block 0 only by chance; the harness is steady: every block counts.
    const b = rounds(100, (i) => (i < 10 ? 300 : 400));
    expect(blockNetRatios(rounds(100, () => 200), b, rounds(100, () => 0), rounds(100, () => 100))).toHaveLength(10);
  });

  it('uses the lower quartile of each block, so a few disturbed batches do not move it', () => {
    const a = rounds(100, (i) => (i % 10 === 0 ? 5000 : 200));
    const ratios = blockNetRatios(a, rounds(100, () => 400), rounds(100, () => 100));
    for (const r of ratios) expect(r).toBeCloseTo(1 / 3, 12);
  });

  it('falls back to one block per round with few rounds, and stops at the shortest series', () => {
    expect(blockNetRatios([200, 300, 250], [400, 400, 400, 400], [100, 100, 100])).toEqual([1 / 3, 2 / 3, 0.5]);
  });

  it('counts a side below the baseline as 0 and skips blocks whose denominator is not positive', () => {
    expect(blockNetRatios([90, 200], [400, 100], [100, 100])).toEqual([0]);
  });
});
