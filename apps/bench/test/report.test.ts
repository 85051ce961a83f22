// The report built from a small set of saved results (test/fixtures/results): what a reader sees first.
import { describe, expect, it } from 'vitest';
import { load } from '../src/report/load.js';
import { markdown } from '../src/report/index.js';
import { chartSvg } from '../src/report/chart.js';
import type { InprocessRow } from '../src/inprocess/run.js';
import type { Results } from '../src/report/load.js';
import { oursOverIncumbent, paired } from '../src/report/lookup.js';
import { inprocessSection } from '../src/report/inprocess.js';
import { targetsSection } from '../src/report/targets.js';
import { int } from '../src/report/format.js';

const results = load(new URL('./fixtures/results/', import.meta.url));
const md = markdown(results);

/** The rows of the first markdown table of `text`, as cells. */
function firstTable(text: string): string[][] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('|'));
  return lines.slice(start, end).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
}

describe('docs/benchmarks.md', () => {
  it('opens with the headline table, before the targets and the details', () => {
    const headline = md.indexOf('| Framework | Incumbent | simple: ours ÷ incumbent |');
    expect(headline).toBeGreaterThan(0);
    expect(md.indexOf('|')).toBe(headline);
    expect(headline).toBeLessThan(md.indexOf('## Targets'));
    expect(md.indexOf('## Targets')).toBeLessThan(md.indexOf('## Details'));
    expect(md).toMatch(/\*\*Machine:\*\* Test CPU, 2 cores/);
  });

  it("says how many processes the in-process part ran in, from the run's settings", () => {
    expect(md).toContain('each in-process case in three Node processes of its own');
    const inprocess = { ...results.inprocess!, meta: { ...results.inprocess!.meta, settings: { ...results.inprocess!.meta.settings, processes: 5 } } };
    const five = markdown({ ...results, inprocess });
    expect(five).toContain('each in-process case in five Node processes of its own');
    expect(five).toContain('each group in five processes (`--processes`)');
  });

  it('lists every framework of the results, with "—" where there is no incumbent', () => {
    const [header, , ...rows] = firstTable(md);
    expect(header![0]).toBe('Framework');
    const byName = new Map(rows.map((cells) => [cells[0]!, cells]));
    expect([...byName.keys()]).toEqual(['node:http', 'Express', 'fetch (Request → Response)']);
    // node, in-process: ours ÷ incumbent net (500 − 300) ÷ (1000 − 300) for the simple request, raw 500 ÷ 1000 for the
    // preflight (its baseline runs the route); ours ÷ floor raw 500 ÷ 480.
    expect(byName.get('node:http')!.slice(1)).toEqual(['cors', '0.29×', '1.04×', '0.50×', '1.04×', 'in-process¹']);
    // fetch has no incumbent: "—" for ours ÷ incumbent, a figure for ours ÷ floor.
    expect(byName.get('fetch (Request → Response)')!.slice(2, 6)).toEqual(['—', '1.01×', '—', '1.01×']);
    // Express comes from the direct part: time ratios, ours ÷ incumbent 10.5 ÷ 11 µs.
    expect(byName.get('Express')!.slice(2, 4)).toEqual(['0.95×', '1.01×']);
    expect(byName.get('Express')![6]).toBe('direct²');
  });

  it('gives one verdict per target and retires "≥ 0.97× bare" in one sentence', () => {
    const targets = md.slice(md.indexOf('## Targets'), md.indexOf('## Details'));
    expect(targets).toMatch(/ours ≤ 1\.05× the floor.*\| ✅ met \|/);
    expect(targets).toMatch(/cache miss.*\+680 ns per request.*\| ✅ met \|/);
    expect(targets).toMatch(/1,000,000 exact origins ≤ 0\.5 s.*0\.45 s, 21\.0 MB \| ✅ met \|/);
    expect(targets).toMatch(/100,000 `\*\.` patterns ≤ 0\.2 s \| 0\.25 s \| ❌ not met \|/);
    expect(targets).toMatch(/Node 20 and Node 24.*v20\.20\.2 and v24\.22\.3.*\| ✅ met \|/);
    // Said once in the whole report (the floor ÷ bare figures are in the direct and loopback tables).
    expect(md.match(/0\.97× bare/g)).toHaveLength(1);
  });

  it("splits the gap into the framework's share and ours, in-process and direct", () => {
    const targets = md.slice(md.indexOf('## Targets'), md.indexOf('## Details'));
    // Express: floor 10,400 ns, minimum 10,480 ns, ours 10,500 ns per request.
    expect(targets).toMatch(/\*\*The framework's share of the gap\.\*\*/);
    expect(targets).toMatch(/- Direct, throughput.*: express 0\.99× · 1\.00×\./);
    // node in-process, simple: floor 480 ns, minimum 495 ns, ours 500 ns (no minimum measured for the preflight).
    expect(targets).toMatch(/- In-process, time per request.*: node simple 1\.03× · 1\.01×\./);
    expect(md).toContain('| express | simple | framework minimum (floor + what the framework requires) |');
  });

  it('puts Node 20 and Node 24 side by side in the details', () => {
    const section = md.slice(md.indexOf('### Node 20 and Node 24'));
    expect(section).toContain('| Framework | Case | v20.20.2: ÷ floor | v20.20.2: ÷ incumbent | v24.22.3: ÷ floor | v24.22.3: ÷ incumbent |');
    expect(section).toMatch(/\| fetch \| simple allowed, 10 origins \| 1\.01× \| — \| 1\.01× \| — \|/);
  });

  it('writes whole numbers without a sign for what rounds to zero (a byte difference of −0.2 B is "0 B")', () => {
    expect([int(-0.2), int(0.4), int(-0.6), int(1234.5)]).toEqual(['0', '0', '-1', '1,235']);
  });

  it('draws a chart without non-finite coordinates', () => {
    const svg = chartSvg(results, false);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });
});

describe('the "≤ the incumbent" targets', () => {
  // NestJS on Express, simple request: five blocks of 20 rounds, the baseline nearly the whole request. Ours is faster in
  // three blocks, in one of which the incumbent ran under the baseline's figure (no net time to divide: the block is
  // dropped from the net ratio); in two, ours is 2 % slower, which the net ratio reads as 3×. The median of the four
  // net ratios left (0.25, 0.25, 3, 3) is 1.625×; the raw one, over all five blocks, 0.995×.
  const series = (values: number[]): number[] => values.flatMap((v) => Array.from({ length: 20 }, () => v));
  const row = (side: InprocessRow['side'], values: number[]): InprocessRow => ({
    caseId: 'simple-10', framework: 'nest-express', side, paired: series(values), problem: undefined,
  });
  const rows = [row('ours', [101, 101, 99, 103, 103]), row('incumbent', [104, 104, 99.5, 101, 101]), row('baseline', [100, 100, 100, 100, 100])];
  const meta = { date: '2026-12-05T13:00:00.000Z', quick: false, settings: {}, machine: { cpu: 'Test CPU', cores: 2, node: 'v20.20.2', os: 'linux', memoryGiB: 24, load: 0 } };
  const synthetic = { inprocess: { meta, rows } } as unknown as Results;
  const targets = targetsSection(synthetic).join('\n');

  it('are judged on the raw paired ratio, the same question as the net one without dividing by a small difference', () => {
    expect(paired(rows, 'nest-express', ['simple-10', 'ours'], ['simple-10', 'incumbent'], ['simple-10', 'baseline'])?.median).toBeCloseTo(1.625, 9);
    expect(targets).toMatch(/ours ≤ the incumbent \(raw time per request, paired\) \| all 1: nest-express simple 0\.99× \| ✅ met \|/);
    expect(targets).toContain('**Ours ≤ the incumbent is judged on the raw paired ratio.**');
  });

  it('the tables show the raw ratio too where the baseline is most of both sides\' time (the headline keeps net elsewhere)', () => {
    expect(oursOverIncumbent(rows, 'nest-express', 'simple-10')).toBeCloseTo(99 / 99.5, 9);
    const cell = inprocessSection(synthetic).find((line) => line.includes('nest-express ÷ enableCors() (cors)'));
    expect(cell).toContain('raw **0.99×**');
    expect(cell).toContain('no net time to compare');
  });
});

describe('the "≤ 1.05× the floor" target', () => {
  // node, simple request: the floor 100 ns, ours 110 ns; only the framework minimum differs between the two runs.
  const meta = { date: '2026-12-06T19:00:00.000Z', quick: false, settings: {}, machine: { cpu: 'Test CPU', cores: 2, node: 'v20.20.2', os: 'linux', memoryGiB: 24, load: 0 } };
  const verdictOf = (minimum: number): string => {
    const row = (side: InprocessRow['side'], ns: number): InprocessRow => ({
      caseId: 'simple-10', framework: 'node', side, paired: Array.from({ length: 100 }, () => ns), problem: undefined,
    });
    const rows = [row('ours', 110), row('floor', 100), row('minimum', minimum), row('baseline', 50)];
    const line = targetsSection({ inprocess: { meta, rows } } as unknown as Results).find((l) => l.includes('ours ≤ 1.05× the floor'));
    return line ?? '';
  };

  it("is the framework's miss when its minimum alone misses it, shown to three decimals where two would read as met", () => {
    // 105.3 ÷ 100 = 1.053, which "1.05×" would show as within the target.
    expect(verdictOf(105.3)).toMatch(/\| not met by node simple 1\.10× \(minimum 1\.053×\) \| ❌ not met: the framework's \(each miss's minimum misses it too\) \|$/);
  });

  it('is ours when the minimum is within it', () => {
    expect(verdictOf(102)).toMatch(/\| not met by node simple 1\.10× \(minimum 1\.02×\) \| ❌ not met \|$/);
  });
});
