// In-process ratios from groups measured in several processes: each process paired on its own.
import { describe, expect, it } from 'vitest';
import type { InprocessRow } from '../src/inprocess/run.js';
import type { Results } from '../src/report/load.js';
import { cacheMissNs, inprocNs, oursOverFloor } from '../src/report/lookup.js';

const row = (side: InprocessRow['side'], process: number, ns: number, caseId = 'simple-10'): InprocessRow => ({
  caseId, framework: 'node', side, process, paired: Array.from({ length: 100 }, () => ns), problem: undefined,
});

describe('in-process ratios over processes', () => {
  it('takes the median of the processes\' ratios, each computed within its own process', () => {
    // Process 0 ran everything 2× slower than process 1: pairing across them would read 600 ÷ 500 = 1.2 or 300 ÷ 1000 = 0.3.
    const rows = [
      row('ours', 0, 600), row('floor', 0, 1000), row('baseline', 0, 200),
      row('ours', 1, 300), row('floor', 1, 250), row('baseline', 1, 100),
      row('ours', 2, 330), row('floor', 2, 300), row('baseline', 2, 100),
    ];
    // Per process: 0.6, 1.2, 1.1 → median 1.1.
    expect(oursOverFloor(rows, 'node', 'simple-10')).toBeCloseTo(1.1, 12);
    // Absolute figures: the lower quartile of all the batches of every process.
    expect(inprocNs(rows, 'simple-10', 'node', 'ours')).toBe(300);
  });

  it('reads results of a single process (rows without a process index)', () => {
    const rows = [row('ours', 0, 300), row('floor', 0, 250), row('baseline', 0, 100)].map(({ process: _p, ...rest }) => rest);
    expect(oursOverFloor(rows, 'node', 'simple-10')).toBeCloseTo(1.2, 12);
  });

  it('takes the cost of a cache miss from the flat group, where misses and repeats ran interleaved', () => {
    // The separate groups ran minutes apart, the misses in a stretch twice as slow: their difference would be 1,700 ns.
    const separate = [row('ours', 0, 2000, 'simple-10k-rotating'), row('ours', 0, 300, 'simple-10k')];
    const flat = [row('ours', 0, 1100, 'flat:simple-10k-rotating'), row('ours', 0, 300, 'flat:simple-10k'), row('baseline', 0, 100, 'flat:simple-10')];
    const results = (rows: InprocessRow[]): Results => ({ inprocess: { rows } }) as unknown as Results;
    expect(cacheMissNs(results([...separate, ...flat]), 'node')).toBeCloseTo(800, 9);
    // Without the interleaved rows: not measured, rather than the difference of the separate groups.
    expect(cacheMissNs(results(separate), 'node')).toBeUndefined();
  });
});
