import { describe, expect, it } from 'vitest';
import { blockNetRatios, interleaved, lowerQuartile, summarize } from '../src/stats.js';

describe('lowerQuartile', () => {
  it('is the value a quarter of the way up the sorted list, whatever the order', () => {
    expect(lowerQuartile([9, 1, 5, 3, 7])).toBe(3);
    expect(lowerQuartile([4])).toBe(4);
    expect(lowerQuartile([])).toBeNaN();
  });
});

describe('interleaved', () => {
  it('rotates the order by the round and reverses it every other round', () => {
    expect([0, 1, 2, 3].map((round) => interleaved(['a', 'b', 'c'], round).join(''))).toEqual(['abc', 'acb', 'cab', 'cba']);
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
    const ratios = blockNetRatios(rounds(200, () => 200), rounds(200, () => 400), rounds(200, () => 100));
    expect(ratios).toHaveLength(10);
    for (const r of ratios) expect(r).toBeCloseTo(1 / 3, 12);
  });

  it('pairs rounds: a slow stretch that hits every side alike leaves the ratio unchanged', () => {
    // Rounds 80–119 run 2× slower for every side.
    const slow = (i: number): number => (i >= 80 && i < 120 ? 2 : 1);
    const ratios = blockNetRatios(rounds(200, (i) => 200 * slow(i)), rounds(200, (i) => 500 * slow(i)), rounds(200, (i) => 50 * slow(i)));
    for (const r of ratios) expect(r).toBeCloseTo(150 / 450, 12);
  });

  it('leaves out the blocks where the harness ran slow, where the ratios shrink toward 1×', () => {
    // Rounds 120–199 run with 300 ns more per batch for every side, the harness (speed) included, as
    // the VM's slow stretches do: there a ÷ b would read 500 ÷ 700; the undisturbed blocks say 200 ÷ 400.
    const extra = (i: number): number => (i >= 120 ? 300 : 0);
    const [a, b, harness] = [200, 400, 100].map((t) => rounds(200, (i) => t + extra(i)));
    const ratios = blockNetRatios(a!, b!, rounds(200, () => 0), harness);
    expect(ratios).toHaveLength(6);
    for (const r of ratios) expect(r).toBeCloseTo(0.5, 12);
    // Without a harness series every block counts.
    expect(blockNetRatios(a!, b!, rounds(200, () => 0))).toHaveLength(10);
  });

  it('chooses blocks by the harness alone, not by either side', () => {
    // b is fast in block 0 only by chance; the harness is steady: every block counts.
    const b = rounds(200, (i) => (i < 20 ? 300 : 400));
    expect(blockNetRatios(rounds(200, () => 200), b, rounds(200, () => 0), rounds(200, () => 100))).toHaveLength(10);
  });

  it('uses the lower quartile of each block, so a few disturbed batches do not move it', () => {
    const a = rounds(200, (i) => (i % 10 === 0 ? 5000 : 200));
    const ratios = blockNetRatios(a, rounds(200, () => 400), rounds(200, () => 100));
    for (const r of ratios) expect(r).toBeCloseTo(1 / 3, 12);
  });

  it('makes fewer, longer blocks with few rounds, and stops at the shortest series', () => {
    // 60 rounds: 3 blocks of 20 (not 10 of 6); the last block's lower quartile is 300.
    const a = Array.from({ length: 61 }, (_, i) => (i < 40 ? 200 : 400));
    expect(blockNetRatios(a, Array.from({ length: 60 }, () => 500), Array.from({ length: 80 }, () => 100))).toEqual([0.25, 0.25, 0.75]);
    // No rounds at all: no ratio (and no endless loop).
    expect(blockNetRatios([], [400], [100])).toEqual([]);
    // Fewer rounds than a block: one block of them all.
    expect(blockNetRatios([200, 300, 250], [400, 400, 400, 400], [100, 100, 100])).toEqual([1 / 3]);
  });

  it('counts a side below the baseline as 0 and skips blocks whose denominator is not positive', () => {
    // Two blocks of 20 rounds: in the first a is below the baseline, in the second b equals it.
    const [a, b] = [[90, 200], [400, 100]].map(([first, second]) => rounds(40, (i) => (i < 20 ? first! : second!)));
    expect(blockNetRatios(a!, b!, rounds(40, () => 100))).toEqual([0]);
  });
});
